"""The contract's two timestamp forms: ISO-8601 with an offset, or integer epoch milliseconds."""

from __future__ import annotations

from datetime import UTC, datetime


class TimestampError(ValueError):
    pass


def to_epoch_ms(value: object) -> int:
    """Return epoch milliseconds for an ISO-8601 string with offset or an integer of epoch ms."""
    if isinstance(value, bool):
        raise TimestampError(f"timestamp must be ISO-8601 or epoch ms, got {value!r}")
    if isinstance(value, int):
        if not 0 <= value < 10**14:
            raise TimestampError(f"epoch milliseconds out of range: {value}")
        return value
    if isinstance(value, float) and value.is_integer():
        return to_epoch_ms(int(value))
    if isinstance(value, str):
        text = value.strip()
        if text.isascii() and text.isdigit():
            return to_epoch_ms(int(text))
        try:
            parsed = datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
        except ValueError as exc:
            raise TimestampError(f"not an ISO-8601 timestamp: {value!r}") from exc
        if parsed.tzinfo is None:
            raise TimestampError(f"ISO-8601 timestamp needs an offset: {value!r}")
        return int(parsed.timestamp() * 1000 + (0.5 if parsed.timestamp() >= 0 else -0.5))
    raise TimestampError(f"timestamp must be ISO-8601 string or epoch ms integer, got {type(value).__name__}")


def ms_to_datetime(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, tz=UTC)


def ms_to_iso(ms: int) -> str:
    return ms_to_datetime(ms).isoformat(timespec="milliseconds")
