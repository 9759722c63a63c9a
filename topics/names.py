"""Topic names of the wire contract (../shared/contract.md), without the configurable prefix."""

from __future__ import annotations

SESSIONS = "sessions"
TRANSCRIPTS = "transcripts"
PRODUCT_CARDS = "product_cards"
SELECTIONS = "selections"
BLACKLIST = "blacklist"
CERTIFICATES = "certificates"
LEXICON = "lexicon"
ALERTS = "alerts"
DEADLETTER = "deadletter"

# Events that happen inside a live room: keyed by room_id, co-partitioned.
ROOM_TOPICS = (SESSIONS, TRANSCRIPTS, PRODUCT_CARDS)
# Registry state every worker needs whole.
REGISTRY_TOPICS = (SELECTIONS, BLACKLIST, CERTIFICATES, LEXICON)
INPUT_TOPICS = ROOM_TOPICS + REGISTRY_TOPICS
OUTPUT_TOPICS = (ALERTS, DEADLETTER)
ALL_TOPICS = INPUT_TOPICS + OUTPUT_TOPICS

DEFAULT_PREFIX = "livewatch."
# Record header set by `livewatch replay`: the replay id its alerts carry.
REPLAY_HEADER = "livewatch-replay"


def strip_prefix(name: str, prefix: str = DEFAULT_PREFIX) -> str:
    """`livewatch.transcripts` or `transcripts` -> `transcripts` (recordings may carry either)."""
    if prefix and name.startswith(prefix):
        return name[len(prefix):]
    if name.startswith(DEFAULT_PREFIX):
        return name[len(DEFAULT_PREFIX):]
    return name


def parse_topic_list(names: list[str] | str | None) -> list[str]:
    """Input topics named as a list or comma-separated (with or without the prefix), deduplicated;
    all input topics when none are named. Raises ValueError naming an unknown topic."""
    if isinstance(names, str):
        names = [names]
    chosen: list[str] = []
    for name in names or INPUT_TOPICS:
        for part in name.split(","):
            topic = strip_prefix(part.strip())
            if topic not in INPUT_TOPICS:
                raise ValueError(f"unknown input topic {part.strip()!r}; input topics: {', '.join(INPUT_TOPICS)}")
            if topic not in chosen:
                chosen.append(topic)
    return chosen
