-- livewatch alerts. One row per alert_id once merged; read with FINAL (or GROUP BY alert_id)
-- for exact counts. {ttl_days} is filled in from LIVEWATCH_ALERT_TTL_DAYS.
CREATE TABLE IF NOT EXISTS alerts
(
    alert_id     String,
    kind         LowCardinality(String),
    rule         LowCardinality(String),
    severity     LowCardinality(String),
    platform     LowCardinality(String),
    room_id      String,
    session_id   String,
    host_id      String,
    event_id     String,
    event_ts     DateTime64(3, 'UTC'),
    detected_at  DateTime64(3, 'UTC'),
    evidence     String,
    details      String,
    source_topic LowCardinality(String),
    replay_id    LowCardinality(String),
    inserted_at  DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(inserted_at)
PARTITION BY toYYYYMMDD(event_ts)
-- One row per alert_id: a once-per-session alert keeps its id whichever event raised it
-- (partitions are per day, so only a session crossing midnight UTC could keep two rows).
ORDER BY alert_id
-- Kept for ttl_days after detection, not after the event: a replay of an old recording must
-- not be deleted on arrival.
TTL toDateTime(detected_at) + INTERVAL {ttl_days} DAY;
