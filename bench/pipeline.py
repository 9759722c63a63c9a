"""Pipeline benchmark: N transcripts and cards through the embedded stack (tansu + worker + chdb).

Prints sustained events/s through the worker (first record produced -> last batch checkpointed)
and the latency from produce to alert row visible in ClickHouse (p50, p99, max), read from the
alert rows' insert time after the worker has stopped.

    .venv/bin/python bench/pipeline.py --events 20000            # as fast as the producer goes
    .venv/bin/python bench/pipeline.py --events 2000 --rate 200  # light load latency
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import orjson
from aiokafka import AIOKafkaProducer

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from streams.broker import EmbeddedBroker, free_port  # noqa: E402
from topics.kafka import ensure_topics  # noqa: E402

CLEAN = ["欢迎新进直播间的宝宝们，点点关注不迷路", "这款面膜一盒十片，独立包装，出差带着很方便",
         "今天下单的都送小样，记得备注颜色", "最近天气干燥，大家注意补水保湿哦", "我们的客服二十四小时在线，有问题随时问",
         "第一次来的朋友可以先领一张优惠券再下单", "这个价格只在直播间有，链接在下方小黄车"]
VIOLATING = ["这款是全网最低价，国家级品质", "吃了三天瘦十斤，无效退款", "百分百有效，没有任何副作用",
             "这个米是国宴专用的特供大米", "跟着我买稳赚不赔，保本保收益"]


def health(url: str) -> dict:
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=2) as resp:
            return json.loads(resp.read())
    except OSError:
        return {}


def wait(cond, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {what}")
        time.sleep(0.05)


def make_events(n: int, violating_share: float, rooms: int, seed: int = 1) -> list[tuple[str, bytes, dict]]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        room = f"bench-r-{i % rooms}"
        base = {"event_id": f"bench-{i}", "platform": "douyin", "room_id": room, "session_id": f"{room}-s",
                "host_id": f"bench-h-{i % rooms}"}
        if i % 5 == 4:
            out.append(("product_cards", room.encode(), {**base, "product_id": f"p-{i % 7}",
                        "title": "补水保湿面膜 10片装", "category": "化妆品", "price": 89.0}))
        else:
            text = rng.choice(VIOLATING) if rng.random() < violating_share else rng.choice(CLEAN)
            out.append(("transcripts", room.encode(), {**base, "seq": i, "text": text}))
    return out


async def produce(bootstrap: str, prefix: str, events: list, rate: float | None) -> float:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=5)
    await producer.start()
    started = time.monotonic()
    try:
        for i, (topic, key, record) in enumerate(events):
            if rate:
                due = started + i / rate
                if (delay := due - time.monotonic()) > 0:
                    await asyncio.sleep(delay)  # pacing the load, not synchronisation
            record["ts"] = int(time.time() * 1000)  # produce time: latency is measured from here
            await producer.send(f"{prefix}{topic}", orjson.dumps(record), key=key)
        await producer.flush()
    finally:
        await producer.stop()
    return time.monotonic() - started


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=20000)
    ap.add_argument("--rate", type=float, default=0, help="events/s to offer; 0 = as fast as possible")
    ap.add_argument("--violating", type=float, default=0.05)
    ap.add_argument("--rooms", type=int, default=200)
    ap.add_argument("--loglevel", default="warning")
    args = ap.parse_args()

    root = Path(tempfile.mkdtemp(prefix="lw-bench-"))
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with EmbeddedBroker(log_path=root / "tansu.log") as broker:
        prefix = "bench."
        env = {**os.environ, "LIVEWATCH_KAFKA": broker.bootstrap, "LIVEWATCH_BROKER_KIND": "tansu",
               "LIVEWATCH_DATA": str(root / "data"), "LIVEWATCH_WEB": f"127.0.0.1:{port}",
               "LIVEWATCH_TOPIC_PREFIX": prefix, "LIVEWATCH_APP_ID": "lw-bench"}
        asyncio.run(ensure_topics(broker.bootstrap, prefix, 4))
        log = (root / "worker.log").open("wb")
        worker = subprocess.Popen([sys.executable, "-m", "streams.cli", "worker", "--loglevel", args.loglevel],
                                  env=env, stdout=log,
                                  stderr=subprocess.STDOUT)
        try:
            wait(lambda: health(url).get("ready"), 120, "worker ready")
            events = make_events(args.events, args.violating, args.rooms)
            t0 = time.time()
            produce_s = asyncio.run(produce(broker.bootstrap, prefix, events, args.rate or None))
            wait(lambda: health(url).get("events_processed", 0) >= args.events, 600, "all events processed")
            done = time.time()
        finally:
            worker.terminate()
            worker.wait(timeout=60)

    import clickhouse_connect

    client = clickhouse_connect.get_client(dsn=f"chdb://{root / 'data' / 'clickhouse'}")
    rows = client.query("SELECT toUnixTimestamp64Milli(inserted_at) - toUnixTimestamp64Milli(event_ts) "
                        "FROM alerts FINAL WHERE source_topic = 'transcripts'").result_rows
    latencies = [r[0] / 1000 for r in rows]
    archived = client.query("SELECT count(), toUnixTimestamp64Milli(max(archived_at)) FROM "
                            "(SELECT archived_at FROM archive_transcripts UNION ALL "
                            "SELECT archived_at FROM archive_product_cards)").result_rows[0]
    last_ms = archived[1] / 1000
    print(f"events: {args.events} (offered {'max' if not args.rate else f'{args.rate:.0f}/s'}; "
          f"produced in {produce_s:.2f}s), archived rows: {archived[0]}")
    print(f"sustained throughput: {args.events / (last_ms - t0):,.0f} events/s "
          f"(first produce -> last archive row; all processed after {done - t0:.2f}s)")
    if latencies:
        print(f"alerts: {len(latencies)}; produce -> alert row in ClickHouse: "
              f"p50 {statistics.median(latencies) * 1000:.0f} ms, p99 {pct(latencies, 99) * 1000:.0f} ms, "
              f"max {max(latencies) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
