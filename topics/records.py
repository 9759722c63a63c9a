"""Record schemas of the wire contract, as faust Records, and the validating parser.

Agents read raw bytes and call :func:`parse_record`, so that a record that cannot be used
becomes an :class:`InvalidRecord` with a human-readable reason (and goes to the dead-letter
topic) instead of a deserialisation crash inside faust.
Timestamps are normalised to integer epoch milliseconds (fields ending in ``_ms``).
"""

from __future__ import annotations

import types
from functools import cache
from typing import Any, ClassVar, Union, get_args, get_origin

import faust
import orjson

from topics import names
from topics.timestamps import TimestampError, to_epoch_ms

MAX_RECORD_BYTES = 1024 * 1024


class InvalidRecord(ValueError):
    """A record that cannot be used; ``str(exc)`` is the reason written to the dead-letter topic."""


class ContractRecord(faust.Record, abstract=True, serializer="json"):
    # contract field name -> record field holding its epoch-ms value
    _timestamps: ClassVar[dict[str, str]] = {}
    # field -> allowed values
    _enums: ClassVar[dict[str, tuple[str, ...]]] = {}


class RoomEvent(ContractRecord, abstract=True):
    """What every record of a live room carries (sessions, transcripts, product cards)."""

    _timestamps = {"ts": "ts_ms"}
    event_id: str
    platform: str
    room_id: str
    session_id: str
    host_id: str
    ts_ms: int


class SessionEvent(RoomEvent):
    _enums = {"status": ("start", "end")}
    status: str
    host_name: str | None = None
    operator_id: str | None = None
    agency_id: str | None = None
    title: str | None = None


class TranscriptSegment(RoomEvent):
    seq: int
    text: str
    speaker: str | None = None
    asr_confidence: float | None = None


class ProductCard(RoomEvent):
    product_id: str
    title: str
    brand: str | None = None
    category: str | None = None
    price: float | None = None
    list_price: float | None = None
    ccc_cert: str | None = None
    shop_id: str | None = None


class DeclaredProduct(faust.Record, serializer="json"):
    product_id: str
    title: str
    brand: str | None = None
    category: str | None = None


class SelectionList(ContractRecord):
    _timestamps = {"valid_from": "valid_from_ms", "valid_to": "valid_to_ms"}
    host_id: str
    version: int
    products: list[DeclaredProduct]
    valid_from_ms: int | None = None
    valid_to_ms: int | None = None


class BlacklistEntry(ContractRecord):
    _timestamps = {"ts": "ts_ms", "expires_at": "expires_at_ms"}
    _enums = {"subject_type": ("host", "operator", "agency"), "op": ("add", "remove")}
    subject_id: str
    subject_type: str
    op: str
    reason: str
    ts_ms: int
    names: list[str] | None = None
    expires_at_ms: int | None = None


class Certificate(ContractRecord):
    _timestamps = {"ts": "ts_ms", "expires_at": "expires_at_ms"}
    _enums = {"status": ("valid", "suspended", "revoked")}
    cert_no: str
    holder: str
    status: str
    ts_ms: int
    scope: list[str] | None = None
    expires_at_ms: int | None = None


class LexiconUpdate(faust.Record, serializer="json"):
    """A run-time lexicon change; the entry's fields are validated by models.lexicon."""

    op: str
    entry: dict[str, Any]


SCHEMAS: dict[str, type[faust.Record]] = {
    names.SESSIONS: SessionEvent,
    names.TRANSCRIPTS: TranscriptSegment,
    names.PRODUCT_CARDS: ProductCard,
    names.SELECTIONS: SelectionList,
    names.BLACKLIST: BlacklistEntry,
    names.CERTIFICATES: Certificate,
    names.LEXICON: LexiconUpdate,
}

# Message key of each input topic (the id in brackets in the contract).
KEY_FIELDS: dict[str, str] = {
    names.SESSIONS: "room_id",
    names.TRANSCRIPTS: "room_id",
    names.PRODUCT_CARDS: "room_id",
    names.SELECTIONS: "host_id",
    names.BLACKLIST: "subject_id",
    names.CERTIFICATES: "cert_no",
}


def decode_json(raw: bytes | str) -> dict[str, Any]:
    """Bytes of one Kafka value -> JSON object, or InvalidRecord saying why not."""
    if isinstance(raw, bytes | bytearray | memoryview):
        raw = bytes(raw)
        if len(raw) > MAX_RECORD_BYTES:
            raise InvalidRecord(f"record of {len(raw)} bytes exceeds the {MAX_RECORD_BYTES}-byte limit")
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InvalidRecord(f"invalid UTF-8 at byte {exc.start}: {exc.reason}") from None
    elif len(raw.encode("utf-8", "surrogatepass")) > MAX_RECORD_BYTES:
        raise InvalidRecord(f"record exceeds the {MAX_RECORD_BYTES}-byte limit")
    try:
        obj = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise InvalidRecord(f"bad JSON: {exc}") from None
    if not isinstance(obj, dict):
        raise InvalidRecord(f"expected a JSON object, got {type(obj).__name__}")
    return obj


def parse_record(topic: str, raw: bytes | str | dict[str, Any]) -> faust.Record:
    """Validate one record of ``topic`` (unprefixed name) and return its typed Record."""
    schema = SCHEMAS.get(topic)
    if schema is None:
        raise InvalidRecord(f"unknown topic {topic!r}")
    obj = raw if isinstance(raw, dict) else decode_json(raw)
    return _build(schema, obj, "")


def _build(schema: type[faust.Record], obj: dict[str, Any], where: str) -> faust.Record:
    kwargs: dict[str, Any] = {}
    for field, source, optional, is_ts, convert, allowed in _plan(schema):
        value = obj.get(source)
        if value is None:
            if optional:
                continue
            raise InvalidRecord(f"missing required field '{where}{source}'")
        if is_ts:
            try:
                kwargs[field] = to_epoch_ms(value)
            except TimestampError as exc:
                raise InvalidRecord(f"field '{where}{source}': {exc}") from None
            continue
        kwargs[field] = convert(value, f"{where}{source}")
        if allowed is not None and kwargs[field] not in allowed:
            raise InvalidRecord(f"field '{where}{source}' must be one of {list(allowed)}, got {value!r}")
    return schema(**kwargs)


@cache
def _plan(schema: type[faust.Record]) -> tuple[tuple[str, str, bool, bool, Any, tuple[str, ...] | None], ...]:
    """Per schema, once: (field, wire name, optional, is timestamp, converter, allowed values)."""
    timestamps: dict[str, str] = getattr(schema, "_timestamps", {})
    enums: dict[str, tuple[str, ...]] = getattr(schema, "_enums", {})
    ts_targets = {v: k for k, v in timestamps.items()}
    optional = schema._options.defaults
    plan = []
    for field, annotation in schema._options.fields.items():
        plan.append((field, ts_targets.get(field, field), field in optional, field in ts_targets,
                     _converter(annotation), enums.get(field)))
    return tuple(plan)


def _converter(annotation: Any) -> Any:
    if annotation is str:
        return _str  # the common case, without the generic dispatch
    return lambda value, path: _coerce(annotation, value, path)


def _str(value: Any, path: str) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)  # ids are often numeric on the wire
    raise InvalidRecord(f"field {path!r} must be a string, got {type(value).__name__}")


def _coerce(annotation: Any, value: Any, path: str) -> Any:
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        (annotation,) = [a for a in get_args(annotation) if a is not type(None)]
        origin = get_origin(annotation)
    if origin is list:
        if not isinstance(value, list):
            raise InvalidRecord(f"field {path!r} must be a list, got {type(value).__name__}")
        (item,) = get_args(annotation)
        return [_coerce(item, v, f"{path}[{i}]") for i, v in enumerate(value)]
    if origin is dict:
        if not isinstance(value, dict):
            raise InvalidRecord(f"field {path!r} must be an object, got {type(value).__name__}")
        return value
    if isinstance(annotation, type) and issubclass(annotation, faust.Record):
        if not isinstance(value, dict):
            raise InvalidRecord(f"field {path!r} must be an object, got {type(value).__name__}")
        return _build(annotation, value, f"{path}.")
    if annotation is str:
        return _str(value, path)
    if annotation is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str):
            try:
                return int(value.strip(), 10)  # not str.isdigit(): "²" is a digit int() refuses
            except ValueError:
                pass
        raise InvalidRecord(f"field {path!r} must be an integer, got {value!r}")
    if annotation is float:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        if isinstance(value, str):
            try:
                return float(value)
            except ValueError:
                pass
        raise InvalidRecord(f"field {path!r} must be a number, got {value!r}")
    return value


def plain(rec: faust.Record) -> dict[str, Any]:
    """A record as plain JSON data (nested records too), the form state tables hold."""
    return {k: _plain_value(v) for k, v in rec.asdict().items()}


def _plain_value(value: Any) -> Any:
    if isinstance(value, faust.Record):
        return plain(value)
    if isinstance(value, list):
        return [_plain_value(v) for v in value]
    return value
