-- Archive of every valid input record, a table per input topic, so that any period can be
-- replayed (GET /api/archive, `livewatch replay archive:...`). Redeliveries collapse on the
-- ORDER BY key. {archive_ttl_days} is filled in from LIVEWATCH_ARCHIVE_TTL_DAYS.
-- Room events expire {archive_ttl_days} days after they were archived (not after their own ts: a
-- replay of an older recording must still be archived, and the replay tool waits on the archive).
-- Registry records never expire: their ts is a business time (a host blacklisted months ago is
-- still blacklisted) and a replay of any window needs the registry in force, so they are kept.

CREATE TABLE IF NOT EXISTS archive_sessions
(
    event_id        String,
    platform        LowCardinality(String),
    room_id         String,
    session_id      String,
    host_id         String,
    ts              DateTime64(3, 'UTC'),
    status          LowCardinality(String),
    replay_id       LowCardinality(String),
    kafka_partition UInt32,
    kafka_offset    UInt64,
    payload         String CODEC(ZSTD(3)),
    archived_at     DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(archived_at)
PARTITION BY toYYYYMMDD(ts)
ORDER BY (room_id, ts, event_id, replay_id)
TTL toDateTime(archived_at) + INTERVAL {archive_ttl_days} DAY;

CREATE TABLE IF NOT EXISTS archive_transcripts
(
    event_id        String,
    platform        LowCardinality(String),
    room_id         String,
    session_id      String,
    host_id         String,
    ts              DateTime64(3, 'UTC'),
    seq             UInt32,
    text            String,
    replay_id       LowCardinality(String),
    kafka_partition UInt32,
    kafka_offset    UInt64,
    payload         String CODEC(ZSTD(3)),
    archived_at     DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(archived_at)
PARTITION BY toYYYYMMDD(ts)
ORDER BY (room_id, ts, event_id, replay_id)
TTL toDateTime(archived_at) + INTERVAL {archive_ttl_days} DAY;

CREATE TABLE IF NOT EXISTS archive_product_cards
(
    event_id        String,
    platform        LowCardinality(String),
    room_id         String,
    session_id      String,
    host_id         String,
    ts              DateTime64(3, 'UTC'),
    product_id      String,
    title           String,
    replay_id       LowCardinality(String),
    kafka_partition UInt32,
    kafka_offset    UInt64,
    payload         String CODEC(ZSTD(3)),
    archived_at     DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(archived_at)
PARTITION BY toYYYYMMDD(ts)
ORDER BY (room_id, ts, event_id, replay_id)
TTL toDateTime(archived_at) + INTERVAL {archive_ttl_days} DAY;

CREATE TABLE IF NOT EXISTS archive_selections
(
    record_key      String,
    ts              DateTime64(3, 'UTC'),
    replay_id       LowCardinality(String),
    kafka_partition UInt32,
    kafka_offset    UInt64,
    payload         String CODEC(ZSTD(3)),
    archived_at     DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(archived_at)
PARTITION BY toYYYYMMDD(ts)
ORDER BY (record_key, ts, kafka_partition, kafka_offset, replay_id);

CREATE TABLE IF NOT EXISTS archive_blacklist
(
    record_key      String,
    ts              DateTime64(3, 'UTC'),
    replay_id       LowCardinality(String),
    kafka_partition UInt32,
    kafka_offset    UInt64,
    payload         String CODEC(ZSTD(3)),
    archived_at     DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(archived_at)
PARTITION BY toYYYYMMDD(ts)
ORDER BY (record_key, ts, kafka_partition, kafka_offset, replay_id);

CREATE TABLE IF NOT EXISTS archive_certificates
(
    record_key      String,
    ts              DateTime64(3, 'UTC'),
    replay_id       LowCardinality(String),
    kafka_partition UInt32,
    kafka_offset    UInt64,
    payload         String CODEC(ZSTD(3)),
    archived_at     DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(archived_at)
PARTITION BY toYYYYMMDD(ts)
ORDER BY (record_key, ts, kafka_partition, kafka_offset, replay_id);

CREATE TABLE IF NOT EXISTS archive_lexicon
(
    record_key      String,
    ts              DateTime64(3, 'UTC'),
    replay_id       LowCardinality(String),
    kafka_partition UInt32,
    kafka_offset    UInt64,
    payload         String CODEC(ZSTD(3)),
    archived_at     DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(archived_at)
PARTITION BY toYYYYMMDD(ts)
ORDER BY (record_key, ts, kafka_partition, kafka_offset, replay_id);
