"""Replay ids and partitions that an offline scan computes exactly as the Kafka path does."""

from __future__ import annotations

import hashlib

from aiokafka.partitioner import murmur2


def replay_id_for(content: bytes, label: str = "") -> str:
    """Same recording, same replay id: replaying it twice yields the same alert ids."""
    digest = hashlib.blake2b(content, digest_size=6, person=b"lw-replay")
    return f"rp-{label + '-' if label else ''}{digest.hexdigest()}"


def partition_for(key: bytes | None, partitions: int) -> int:
    """Kafka's default (murmur2) partition for a keyed record, as aiokafka and the Java client pick it."""
    if key is None:
        return 0
    return (murmur2(key) & 0x7FFFFFFF) % partitions
