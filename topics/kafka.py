"""Creating the contract's topics on a broker, with one partition count for co-partitioned topics."""

from __future__ import annotations

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

from topics.names import ALL_TOPICS


async def ensure_topics(bootstrap: str, prefix: str, partitions: int, names: tuple[str, ...] = ALL_TOPICS,
                        replication: int = 1) -> None:
    """Create any missing topic. Room topics must share a partition count: they are co-partitioned."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [NewTopic(f"{prefix}{n}", num_partitions=partitions, replication_factor=replication)
                   for n in names if f"{prefix}{n}" not in existing]
        if missing:
            try:
                await admin.create_topics(missing)
            except TopicAlreadyExistsError:
                pass  # another process created it first
    finally:
        await admin.close()
