"""topics.records.parse_record: the validating parser every agent runs before the rules engine."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import orjson
import pytest

from topics import names
from topics.records import MAX_RECORD_BYTES, InvalidRecord, parse_record

WHEN = datetime(2026, 11, 22, 20, 15, 3, 120_000, tzinfo=timezone(timedelta(hours=8)))
WHEN_MS = int((WHEN - datetime(1970, 1, 1, tzinfo=UTC)) / timedelta(milliseconds=1))

VALID: dict[str, dict] = {
    names.SESSIONS: {"event_id": "e1", "platform": "douyin", "room_id": "r1", "session_id": "s1",
                     "host_id": "h1", "status": "start", "ts": WHEN_MS},
    names.TRANSCRIPTS: {"event_id": "e2", "platform": "douyin", "room_id": "r1", "session_id": "s1",
                        "host_id": "h1", "seq": 3, "ts": WHEN_MS, "text": "大家好"},
    names.PRODUCT_CARDS: {"event_id": "e3", "platform": "douyin", "room_id": "r1", "session_id": "s1",
                          "host_id": "h1", "ts": WHEN_MS, "product_id": "p1", "title": "坚果"},
    names.SELECTIONS: {"host_id": "h1", "version": 2,
                       "products": [{"product_id": "p1", "title": "坚果"}]},
    names.BLACKLIST: {"subject_id": "h9", "subject_type": "host", "op": "add", "reason": "售假",
                      "ts": WHEN_MS},
    names.CERTIFICATES: {"cert_no": "2021010701234567", "holder": "美的集团", "status": "valid",
                         "ts": WHEN_MS},
}

REQUIRED = [(topic, name) for topic, rec in VALID.items() for name in rec]


def with_(topic: str, **changes) -> dict:
    rec = dict(VALID[topic])
    for k, v in changes.items():
        if v is ...:
            rec.pop(k, None)
        else:
            rec[k] = v
    return rec


def reason(topic: str, raw) -> str:
    with pytest.raises(InvalidRecord) as info:
        parse_record(topic, raw)
    return str(info.value)


@pytest.mark.parametrize("topic", sorted(VALID))
def test_every_valid_example_parses_from_dict_and_bytes(topic):
    from_dict = parse_record(topic, VALID[topic])
    from_bytes = parse_record(topic, orjson.dumps(VALID[topic]))
    assert from_dict.asdict() == from_bytes.asdict()


@pytest.mark.parametrize("topic", [names.SESSIONS, names.TRANSCRIPTS, names.PRODUCT_CARDS, names.BLACKLIST,
                                   names.CERTIFICATES])
def test_iso_with_offset_and_epoch_ms_give_the_same_ms(topic):
    iso = parse_record(topic, with_(topic, ts=WHEN.isoformat(timespec="milliseconds")))
    utc_z = parse_record(topic, with_(topic, ts=WHEN.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"))
    epoch = parse_record(topic, with_(topic, ts=WHEN_MS))
    epoch_text = parse_record(topic, with_(topic, ts=str(WHEN_MS)))
    assert iso.ts_ms == utc_z.ts_ms == epoch.ts_ms == epoch_text.ts_ms == WHEN_MS


def test_contract_example_timestamp():
    rec = parse_record(names.SESSIONS, with_(names.SESSIONS, ts="2026-11-22T20:15:03.120+08:00"))
    assert rec.ts_ms == WHEN_MS
    assert datetime.fromtimestamp(rec.ts_ms / 1000, UTC) == WHEN


def test_optional_timestamps_in_both_forms():
    expires = WHEN + timedelta(days=30)
    a = parse_record(names.BLACKLIST, with_(names.BLACKLIST, expires_at=expires.isoformat()))
    b = parse_record(names.BLACKLIST, with_(names.BLACKLIST, expires_at=WHEN_MS + 30 * 86_400_000))
    assert a.expires_at_ms == b.expires_at_ms == WHEN_MS + 30 * 86_400_000
    s = parse_record(names.SELECTIONS, with_(names.SELECTIONS, valid_from=WHEN.isoformat(), valid_to=WHEN_MS + 1))
    assert (s.valid_from_ms, s.valid_to_ms) == (WHEN_MS, WHEN_MS + 1)


@pytest.mark.parametrize(("topic", "field"), [(names.SESSIONS, "ts"), (names.BLACKLIST, "expires_at"),
                                              (names.SELECTIONS, "valid_from")])
def test_naive_iso_rejected_naming_the_field(topic, field):
    msg = reason(topic, with_(topic, **{field: "2026-11-22T20:15:03.120"}))
    assert f"'{field}'" in msg and "offset" in msg


@pytest.mark.parametrize("bad", ["yesterday", "2026-13-45T00:00:00+08:00", True, -1, 10**15, [WHEN_MS]])
def test_bad_timestamps_rejected(bad):
    assert "'ts'" in reason(names.TRANSCRIPTS, with_(names.TRANSCRIPTS, ts=bad))


@pytest.mark.parametrize(("topic", "field"), REQUIRED)
def test_every_missing_required_field_is_named(topic, field):
    assert parse_record(topic, VALID[topic])  # complete: fine
    msg = reason(topic, with_(topic, **{field: ...}))
    assert f"missing required field '{field}'" in msg
    assert reason(topic, with_(topic, **{field: None})) == msg  # null is missing too


@pytest.mark.parametrize(("topic", "field", "value", "words"), [
    (names.TRANSCRIPTS, "seq", "third", "integer"),
    (names.TRANSCRIPTS, "seq", 1.5, "integer"),
    (names.TRANSCRIPTS, "seq", True, "integer"),
    (names.TRANSCRIPTS, "host_id", ["h1"], "string"),
    (names.TRANSCRIPTS, "host_id", {"id": "h1"}, "string"),
    (names.TRANSCRIPTS, "room_id", False, "string"),
    (names.TRANSCRIPTS, "text", 1.5, "string"),
    (names.TRANSCRIPTS, "asr_confidence", "high", "number"),
    (names.PRODUCT_CARDS, "price", "cheap", "number"),
    (names.PRODUCT_CARDS, "price", True, "number"),
    (names.SELECTIONS, "version", "v2", "integer"),
    (names.SELECTIONS, "products", {"product_id": "p1"}, "list"),
    (names.BLACKLIST, "names", "老王", "list"),
    (names.CERTIFICATES, "scope", "电饭煲", "list"),
])
def test_wrong_types_rejected_naming_field_and_type(topic, field, value, words):
    msg = reason(topic, with_(topic, **{field: value}))
    assert f"'{field}'" in msg and words in msg


def test_numeric_strings_accepted_for_numbers():
    t = parse_record(names.TRANSCRIPTS, with_(names.TRANSCRIPTS, seq="7", asr_confidence="0.5"))
    assert (t.seq, t.asr_confidence) == (7, 0.5)
    c = parse_record(names.PRODUCT_CARDS, with_(names.PRODUCT_CARDS, price=99, list_price="199.9"))
    assert (c.price, c.list_price) == (99.0, 199.9) and isinstance(c.price, float)


@pytest.mark.parametrize(("topic", "field", "allowed"), [
    (names.SESSIONS, "status", {"start", "end"}),
    (names.BLACKLIST, "subject_type", {"host", "operator", "agency"}),
    (names.BLACKLIST, "op", {"add", "remove"}),
    (names.CERTIFICATES, "status", {"valid", "suspended", "revoked"}),
])
def test_enum_values(topic, field, allowed):
    for value in allowed:
        assert getattr(parse_record(topic, with_(topic, **{field: value})), field) == value
    for bad in ("paused", value.upper(), ""):
        msg = reason(topic, with_(topic, **{field: bad}))
        assert f"'{field}'" in msg and all(v in msg for v in allowed)


@pytest.mark.parametrize("topic", [names.SESSIONS, names.TRANSCRIPTS, names.PRODUCT_CARDS])
def test_numeric_ids_accepted_as_strings(topic):
    rec = parse_record(topic, with_(topic, room_id=123456, host_id=789, event_id=1, session_id=0))
    assert (rec.room_id, rec.host_id, rec.event_id, rec.session_id) == ("123456", "789", "1", "0")


def test_numeric_ids_in_registry_records_and_nested_products():
    sel = parse_record(names.SELECTIONS, {"host_id": 42, "version": 1,
                                          "products": [{"product_id": 1001, "title": "坚果"}]})
    assert sel.host_id == "42" and sel.products[0].product_id == "1001"
    assert parse_record(names.CERTIFICATES, with_(names.CERTIFICATES, cert_no=2021010701234567)).cert_no == \
        "2021010701234567"


def test_nested_selection_products_validated_with_path():
    good = {"product_id": "p1", "title": "坚果", "brand": "三只松鼠", "category": "食品"}
    sel = parse_record(names.SELECTIONS, with_(names.SELECTIONS, products=[good, {"product_id": "p2", "title": "t"}]))
    assert [p.product_id for p in sel.products] == ["p1", "p2"] and sel.products[0].brand == "三只松鼠"
    assert "missing required field 'products[1].title'" in reason(
        names.SELECTIONS, with_(names.SELECTIONS, products=[good, {"product_id": "p2"}]))
    assert "'products[0].product_id'" in reason(
        names.SELECTIONS, with_(names.SELECTIONS, products=[{"title": "t"}]))
    msg = reason(names.SELECTIONS, with_(names.SELECTIONS, products=[good, good, "p3"]))
    assert "'products[2]'" in msg and "object" in msg
    msg = reason(names.SELECTIONS, with_(names.SELECTIONS, products=[dict(good, brand=["a"])]))
    assert "'products[0].brand'" in msg and "string" in msg


def _padded(size: int) -> bytes:
    base = orjson.dumps(VALID[names.TRANSCRIPTS])
    return base[:-1] + b" " * (size - len(base)) + b"}"


def test_size_limit_is_one_mib_inclusive():
    at_limit = _padded(MAX_RECORD_BYTES)
    assert len(at_limit) == MAX_RECORD_BYTES == 1024 * 1024
    assert parse_record(names.TRANSCRIPTS, at_limit).text == "大家好"
    over = _padded(MAX_RECORD_BYTES + 1)
    msg = reason(names.TRANSCRIPTS, over)
    assert str(MAX_RECORD_BYTES + 1) in msg and "limit" in msg


def test_oversized_text_value_rejected():
    big = orjson.dumps(with_(names.TRANSCRIPTS, text="好" * (MAX_RECORD_BYTES // 3 + 10)))
    assert len(big) > MAX_RECORD_BYTES
    assert "limit" in reason(names.TRANSCRIPTS, big)
    assert "limit" in reason(names.TRANSCRIPTS, big.decode())


def test_invalid_utf8_rejected_with_byte_offset():
    raw = orjson.dumps(VALID[names.TRANSCRIPTS]).replace("大家好".encode(), b"\xe5\xa4" + b"\xff" + "好".encode())
    bad_at = raw.index(b"\xe5\xa4")
    msg = reason(names.TRANSCRIPTS, raw)
    assert "UTF-8" in msg and f"byte {bad_at}" in msg


@pytest.mark.parametrize(("raw", "words"), [
    (b'{"event_id": "e1",', "bad JSON"),
    (b'["e1"]', "JSON object"),
    (b'"hello"', "JSON object"),
    (b"", "bad JSON"),
])
def test_non_objects_rejected(raw, words):
    assert words in reason(names.TRANSCRIPTS, raw)


def test_unknown_topic_rejected():
    assert "unknown topic" in reason("nonsense", VALID[names.SESSIONS])


def test_lexicon_update_record():
    rec = parse_record(names.LEXICON, {"op": "upsert", "entry": {"id": "x", "pattern": "y"}})
    assert rec.op == "upsert" and rec.entry == {"id": "x", "pattern": "y"}
    assert "'entry'" in reason(names.LEXICON, {"op": "upsert", "entry": "x"})
    assert "missing required field 'op'" in reason(names.LEXICON, {"entry": {"id": "x"}})


@pytest.mark.parametrize(("topic", "field", "value"), [
    (names.TRANSCRIPTS, "seq", "--5"),
    (names.TRANSCRIPTS, "seq", "²"),
    (names.SELECTIONS, "version", "-²"),
    (names.TRANSCRIPTS, "ts", "²"),
    (names.BLACKLIST, "expires_at", "¹⁷⁰⁰"),
])
def test_digit_lookalikes_are_invalid_records(topic, field, value):
    with pytest.raises(InvalidRecord) as info:
        parse_record(topic, with_(topic, **{field: value}))
    assert f"'{field}'" in str(info.value)
