"""The faust application: broker, tables' store, and the settings that the tansu broker needs."""

from __future__ import annotations

import os

import faust

from streams.settings import Settings

settings = Settings.from_env()


def on_tansu() -> bool:
    """True when the broker is the embedded tansu (set by `livewatch` when it starts one)."""
    return os.environ.get("LIVEWATCH_BROKER_KIND", "tansu" if settings.kafka is None else "kafka") == "tansu"


# tansu answers a fetch only when its max wait runs out, even when records arrived meanwhile
# (measured: median delivery 219 ms at a 500 ms wait, 4 ms at 20 ms); faust fixes the wait at
# 1500 ms, so on tansu its consumer asks for a short one.
TANSU_FETCH_WAIT_MS = 50


def _use_short_fetch_wait() -> None:
    from faust.transport.drivers import aiokafka as driver

    class ConsumerThread(driver.AIOKafkaConsumerThread):
        def _create_worker_consumer(self, transport):  # type: ignore[no-untyped-def]
            consumer = super()._create_worker_consumer(transport)
            consumer._fetch_max_wait_ms = TANSU_FETCH_WAIT_MS
            return consumer

    class Consumer(driver.Consumer):
        def _new_consumer_thread(self) -> driver.AIOKafkaConsumerThread:
            return ConsumerThread(self, loop=self.loop, beacon=self.beacon)

    driver.Transport.Consumer = Consumer


def create_app(s: Settings) -> faust.App:
    brokers = [f"kafka://{h.strip()}" for h in (s.kafka or "127.0.0.1:9092").split(",") if h.strip()]
    tansu = on_tansu()
    if tansu:
        _use_short_fetch_wait()
    return faust.App(
        s.app_id,
        broker=brokers,
        store="memory://",  # tables are rebuilt from their changelog topics on start
        topic_partitions=s.partitions,
        key_serializer="raw",
        value_serializer="raw",
        consumer_auto_offset_reset="earliest",
        # tansu answers ListOffsets wrongly for multi-record batches; faust table recovery
        # reads changelog end offsets, so the worker's own producer writes one record a batch.
        producer_max_batch_size=16 if tansu else 16384,
        broker_rebalance_timeout=10 if tansu else 60,
        # tansu holds a group join for half the session timeout (measured: 60 s -> 30 s wait).
        broker_session_timeout=6 if tansu else 60,
        broker_heartbeat_interval=1 if tansu else 3,
        broker_commit_interval=1.0,
        web_enabled=False,  # livewatch serves its own aiohttp app (streams/web)
        table_standby_replicas=0,
        stream_buffer_maxsize=16384,
        broker_max_poll_records=2000,  # per partition and fetch: fewer round trips per event
        consumer_max_fetch_size=8 * 1024 * 1024,
        topic_disable_leader=True,
        datadir=str(s.data_dir / "faust"),
    )


app = create_app(settings)
