"""Replay throughput benchmark (not a test): `replay.player.publish` flat out into the embedded broker.

N synthetic transcript segments (50 rooms, 20-120 characters of Chinese text each, bare contract
records keyed by room_id, as in a recording) are published with a replay id, as fast as possible,
into a fresh tansu broker. Each run uses its own topic prefix; the time includes the producer's
start and its final flush (every record acknowledged).

    python bench/replay.py [--records 20000] [--runs 3]

Prints records/s per run and the median. (tansu's ListOffsets quirk, see
tests/e2e/test_tansu_quirks.py, concerns reading end offsets, not producing.)
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PHRASES = ["家人们", "今天这款面膜", "补水保湿", "全网最低价", "库存不多了", "赶紧下单", "欢迎新进直播间的朋友",
           "点点关注", "买二送一", "这个价格只有今天", "质量非常好", "我自己也在用"]
T0 = 1795349703120


def synthetic_transcripts(n: int, rooms: int = 50, seed: int = 7) -> list:
    import orjson

    from replay.recording import RecordedMessage

    rng = random.Random(seed)
    out = []
    for i in range(n):
        room = f"bench-r-{i % rooms}"
        text = "，".join(rng.choice(PHRASES) for _ in range(rng.randint(3, 15)))[:120]
        record = {"event_id": f"bench-{i}", "platform": "douyin", "room_id": room, "session_id": f"{room}-s1",
                  "host_id": f"bench-h-{i % rooms}", "seq": i // rooms, "ts": T0 + i * 50, "text": text}
        out.append(RecordedMessage(line_no=i + 1, topic="transcripts", key=room.encode(),
                                   value=orjson.dumps(record)))
    return out


async def one_run(bootstrap: str, prefix: str, messages: list) -> float:
    from replay.player import publish
    from topics.kafka import ensure_topics

    await ensure_topics(bootstrap, prefix, 4)
    stats = await publish(messages, bootstrap, prefix=prefix, replay_id="rp-bench")
    assert stats.records == len(messages)
    return stats.rate


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    from streams.broker import EmbeddedBroker

    messages = synthetic_transcripts(args.records)
    size = sum(len(m.value) for m in messages)
    print(f"{len(messages)} transcripts, {size / len(messages):.0f} bytes each on average; "
          "tansu, 4 partitions")
    rates = []
    with EmbeddedBroker() as broker:
        for run in range(args.runs):
            rate = asyncio.run(one_run(broker.bootstrap, f"bench{run}.", messages))
            rates.append(rate)
            print(f"run {run + 1}: {rate:,.0f} records/s")
    print(f"median of {len(rates)}: {statistics.median(rates):,.0f} records/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
