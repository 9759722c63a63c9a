"""`livewatch registry`: manage selection lists, blacklist entries and CCC certificates.

The registry lives on three topics of the wire contract (``selections`` keyed by host_id,
``blacklist`` keyed by subject_id, ``certificates`` keyed by cert_no). Every worker reads them
whole into GlobalTables backed by changelog topics, so what these commands publish survives
worker restarts and is the same on every worker.

Commands
--------
``livewatch registry upsert {selections|blacklist|certificates} FILE [--dry-run]``
    Publish the records of FILE (``-`` for standard input). FILE is JSON - one object, a list of
    objects, or JSON Lines (one object per line) - or CSV (chosen by a ``.csv`` extension, or by
    content that does not start with ``{`` or ``[``). JSON records are contract records as they go
    on the wire; a blacklist record without ``op`` gets ``"op": "add"``.
    Every record is validated first (``topics.records.parse_record``); if any is invalid, every
    error is printed with its line number and nothing is published (exit status 2).

``livewatch registry remove blacklist SUBJECT_ID --reason TEXT [--type host|operator|agency]``
    Publish ``op: "remove"`` for the subject, effective now (``ts`` = the current time).
``livewatch registry remove selections HOST_ID [--version N]``
    Publish a new version of the host's selection list with an empty product list (``version`` =
    N, default the current epoch milliseconds, so it is newer than earlier versions). An empty list
    *declares nothing*: it does not delete the host's history, it is the newest list, and it
    declares no product, so every product card the host shows from then on is ``unlisted_product``
    (rule ``not_on_selection_list``).

``livewatch registry show HOST_ID [--worker URL] [--limit N] [--json]``
    The host's registry state (selection list versions, blacklist listing) and its recent alerts,
    from a worker's ``GET /api/hosts/{host_id}`` (default worker: LIVEWATCH_WEB).

upsert and remove need LIVEWATCH_KAFKA (and use LIVEWATCH_TOPIC_PREFIX, LIVEWATCH_PARTITIONS);
the topics are created if missing.

CSV formats (UTF-8, optionally with a BOM; a header row; empty cells are absent fields;
timestamps are ISO-8601 with an offset or epoch milliseconds)
-------------------------------------------------------------------------------------------
selections
    ``host_id,version,product_id,title,brand,category,valid_from,valid_to`` - one row per product;
    rows with the same (host_id, version) make one list record (rows need not be adjacent;
    valid_from/valid_to must agree within a list). A row with empty product_id and title adds no
    product: a list of only such rows is an empty list ("declares nothing").
blacklist
    ``subject_id,subject_type,reason,ts,names,expires_at`` (optional column ``op``, default
    ``add``) - names (aliases) separated by ``|``.
certificates
    ``cert_no,holder,status,ts,scope,expires_at`` - scope items separated by ``|``.

Exit status: 0 done, 1 configuration or connection error, 2 invalid input (nothing published).
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import json
import os
import re
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from topics import names
from topics.records import KEY_FIELDS, InvalidRecord, parse_record

KINDS = (names.SELECTIONS, names.BLACKLIST, names.CERTIFICATES)

CSV_COLUMNS: dict[str, tuple[str, ...]] = {
    names.SELECTIONS: ("host_id", "version", "product_id", "title", "brand", "category", "valid_from", "valid_to"),
    names.BLACKLIST: ("subject_id", "subject_type", "reason", "ts", "names", "expires_at"),
    names.CERTIFICATES: ("cert_no", "holder", "status", "ts", "scope", "expires_at"),
}
CSV_OPTIONAL_COLUMNS: dict[str, tuple[str, ...]] = {names.BLACKLIST: ("op",)}
# Columns a CSV file must have (the others may be left out of the header).
CSV_REQUIRED: dict[str, tuple[str, ...]] = {
    names.SELECTIONS: ("host_id", "version"),
    names.BLACKLIST: ("subject_id", "subject_type", "reason", "ts"),
    names.CERTIFICATES: ("cert_no", "holder", "status", "ts"),
}
LIST_SEP = "|"

CSV_HELP = """\
CSV formats (header row required; empty cells are absent fields; timestamps ISO-8601 with offset or epoch ms):
  selections:   host_id,version,product_id,title,brand,category,valid_from,valid_to
                one row per product, grouped into one list record per (host_id, version);
                a row with empty product_id and title adds no product (an empty list declares nothing)
  blacklist:    subject_id,subject_type,reason,ts,names,expires_at   (optional column op, default add)
                names separated by |
  certificates: cert_no,holder,status,ts,scope,expires_at            scope separated by |
JSON: one object, a list of objects, or JSON Lines; contract records as on the wire.
Invalid records: every error is printed with its line number, nothing is published, exit status 2."""


class RegistryError(Exception):
    """Configuration or connection problem (exit status 1)."""


@dataclass
class Loaded:
    """Records of one file, each with the line it starts on, and every problem found."""

    records: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # selections from CSV: record index -> line of each of its products (for error messages)
    product_lines: dict[int, list[int]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


# -- reading files --------------------------------------------------------------------------------------

def is_csv(text: str, filename: str | None = None) -> bool:
    if filename and filename.lower().endswith(".csv"):
        return True
    if filename and filename.lower().endswith((".json", ".jsonl", ".ndjson")):
        return False
    return not text.lstrip("\ufeff \t\r\n").startswith(("{", "["))


def load_text(kind: str, text: str, filename: str | None = None) -> Loaded:
    """Parse and validate ``text`` (JSON or CSV) into contract records of ``kind``."""
    if kind not in KINDS:
        raise ValueError(f"unknown registry kind {kind!r}; expected one of {list(KINDS)}")
    loaded = parse_csv(kind, text) if is_csv(text, filename) else parse_json(kind, text)
    validate(kind, loaded)
    if not loaded.records and not loaded.errors:
        loaded.errors.append("no records found")
    return loaded


def load_file(kind: str, path: str) -> Loaded:
    if path == "-":
        return load_text(kind, sys.stdin.read(), None)
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return Loaded(errors=[f"{path}: not UTF-8 (byte {exc.start}: {exc.reason})"])
    return load_text(kind, text, path)


def _line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


_WS = re.compile(r"\s*")


def parse_json(kind: str, text: str) -> Loaded:
    """One object, a list of objects, or a sequence of objects (JSON Lines); line numbers kept."""
    text = text.lstrip("\ufeff")
    decoder = json.JSONDecoder()
    out = Loaded()

    def add(obj: Any, pos: int) -> None:
        line = _line_of(text, pos)
        if isinstance(obj, dict):
            out.records.append((line, _defaults(kind, obj)))
        else:
            out.errors.append(f"line {line}: expected a JSON object, got {type(obj).__name__}")

    pos = _WS.match(text, 0).end()
    if text.startswith("[", pos):  # a list: decode its items one by one, to know their lines
        pos = _WS.match(text, pos + 1).end()
        if text.startswith("]", pos):
            return out
        while True:
            try:
                obj, end = decoder.raw_decode(text, pos)
            except json.JSONDecodeError as exc:
                out.errors.append(f"line {exc.lineno}: bad JSON: {exc.msg}")
                return out
            add(obj, pos)
            pos = _WS.match(text, end).end()
            if text.startswith(",", pos):
                pos = _WS.match(text, pos + 1).end()
            elif text.startswith("]", pos):
                pos = _WS.match(text, pos + 1).end()
                if pos < len(text):
                    out.errors.append(f"line {_line_of(text, pos)}: unexpected data after the JSON list")
                return out
            else:
                out.errors.append(f"line {_line_of(text, pos)}: bad JSON: expected ',' or ']'")
                return out
    while pos < len(text):  # one object, or objects one after another (JSON Lines)
        try:
            obj, end = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            out.errors.append(f"line {exc.lineno}: bad JSON: {exc.msg}")
            nxt = text.find("\n", exc.pos)  # resume on the next line
            if nxt < 0:
                break
            pos = _WS.match(text, nxt).end()
            continue
        add(obj, pos)
        pos = _WS.match(text, end).end()
    return out


def _defaults(kind: str, obj: dict[str, Any]) -> dict[str, Any]:
    if kind == names.BLACKLIST and obj.get("op") is None:
        return {**obj, "op": "add"}
    return obj


_TS_COLUMNS = ("ts", "expires_at", "valid_from", "valid_to")


def _wire(cells: dict[str, str | None]) -> dict[str, Any]:
    """CSV cells as they go on the wire: epoch-ms timestamps and versions as integers."""
    out: dict[str, Any] = dict(cells)
    for name in (*_TS_COLUMNS, "version"):
        value = out.get(name)
        if isinstance(value, str) and value.lstrip("-").isdigit():
            out[name] = int(value)
    return out


def _split(value: str | None) -> list[str] | None:
    if value is None:
        return None
    items = [v.strip() for v in value.split(LIST_SEP)]
    return [v for v in items if v]


def parse_csv(kind: str, text: str) -> Loaded:
    """CSV rows -> contract records (see the module docstring for the columns)."""
    out = Loaded()
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    header = [h.strip() for h in (reader.fieldnames or [])]
    if not header:
        out.errors.append("line 1: empty CSV file (a header row is required)")
        return out
    reader.fieldnames = header
    known = CSV_COLUMNS[kind] + CSV_OPTIONAL_COLUMNS.get(kind, ())
    unknown = [h for h in header if h not in known]
    missing = [c for c in CSV_REQUIRED[kind] if c not in header]
    if unknown:
        out.errors.append(f"line 1: unknown column(s) {', '.join(unknown)}; {kind} columns are "
                          f"{','.join(known)}")
    if missing:
        out.errors.append(f"line 1: missing column(s) {', '.join(missing)}")
    if out.errors:
        return out

    rows: list[tuple[int, dict[str, Any]]] = []
    start = reader.line_num + 1
    try:
        for row in reader:
            if None in row:  # more cells than header columns
                out.errors.append(f"line {start}: {len(header) + len(row[None])} cells, the header has "
                                  f"{len(header)}")
            cells = _wire({k: (v.strip() if isinstance(v, str) and v.strip() else None)
                           for k, v in row.items() if k is not None})
            if any(v is not None for v in cells.values()):
                rows.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as exc:
        out.errors.append(f"line {reader.line_num}: bad CSV: {exc}")
        return out

    if kind == names.SELECTIONS:
        _group_selections(rows, out)
        return out
    for line, cells in rows:
        rec = {k: v for k, v in cells.items() if v is not None}
        if kind == names.BLACKLIST:
            rec.setdefault("op", "add")
            if "names" in rec:
                rec["names"] = _split(rec["names"])
        elif kind == names.CERTIFICATES and "scope" in rec:
            rec["scope"] = _split(rec["scope"])
        out.records.append((line, rec))
    return out


def _group_selections(rows: list[tuple[int, dict[str, Any]]], out: Loaded) -> None:
    groups: dict[tuple[Any, Any], tuple[int, dict[str, Any], list[int]]] = {}
    for line, cells in rows:
        key = (cells.get("host_id"), cells.get("version"))
        if key not in groups:
            rec: dict[str, Any] = {"host_id": cells.get("host_id"), "version": cells.get("version"),
                                   "products": []}
            for bound in ("valid_from", "valid_to"):
                if cells.get(bound) is not None:
                    rec[bound] = cells[bound]
            groups[key] = (line, rec, [])
        first, rec, lines = groups[key]
        for bound in ("valid_from", "valid_to"):
            if cells.get(bound) is not None and cells[bound] != rec.get(bound):
                out.errors.append(f"line {line}: {bound} {cells[bound]!r} differs from {rec.get(bound)!r} "
                                  f"on line {first} (same host_id {key[0]!r}, version {key[1]!r})")
        if cells.get("product_id") is None and cells.get("title") is None:
            if any(cells.get(c) is not None for c in ("brand", "category")):
                out.errors.append(f"line {line}: brand/category without product_id and title")
            continue
        product = {k: cells[k] for k in ("product_id", "title", "brand", "category") if cells.get(k) is not None}
        rec["products"].append(product)
        lines.append(line)
    for first, rec, lines in groups.values():
        out.product_lines[len(out.records)] = lines
        out.records.append((first, {k: v for k, v in rec.items() if v is not None}))


_PRODUCT_INDEX = re.compile(r"'products\[(\d+)\]")


def validate(kind: str, loaded: Loaded) -> None:
    """parse_record every record; problems are added to ``loaded.errors`` with line numbers."""
    for i, (line, rec) in enumerate(loaded.records):
        try:
            parse_record(kind, rec)
        except InvalidRecord as exc:
            where = line
            lines = loaded.product_lines.get(i)
            m = _PRODUCT_INDEX.search(str(exc))
            if lines and m and int(m.group(1)) < len(lines):
                where = lines[int(m.group(1))]
            loaded.errors.append(f"line {where}: {exc}")
        key_field = KEY_FIELDS[kind]
        if isinstance(rec.get(key_field), str) and not rec[key_field].strip():
            loaded.errors.append(f"line {line}: empty key field '{key_field}'")
    loaded.errors.sort(key=_error_line)


def _error_line(error: str) -> int:
    m = re.match(r"line (\d+):", error)
    return int(m.group(1)) if m else 0


# -- records made by `remove` ---------------------------------------------------------------------------

def blacklist_removal(subject_id: str, reason: str, subject_type: str = "host",
                      now_ms: int | None = None) -> dict[str, Any]:
    return {"subject_id": subject_id, "subject_type": subject_type, "op": "remove", "reason": reason,
            "ts": int(time.time() * 1000) if now_ms is None else now_ms}


def empty_selection(host_id: str, version: int | None = None, now_ms: int | None = None) -> dict[str, Any]:
    """A new, empty selection list: the host declares nothing from now on."""
    if version is None:
        version = int(time.time() * 1000) if now_ms is None else now_ms
    return {"host_id": host_id, "version": version, "products": []}


# -- publishing ------------------------------------------------------------------------------------------

def _settings():
    from streams.settings import Settings

    settings = Settings.from_env()
    if not settings.kafka:
        raise RegistryError("LIVEWATCH_KAFKA is not set: set it to the broker's bootstrap servers "
                            "(host:port[,host:port]), e.g. the address `livewatch broker` prints")
    return settings


async def publish(bootstrap: str, prefix: str, partitions: int, kind: str,
                  records: Iterable[dict[str, Any]]) -> int:
    """Send each record to ``{prefix}{kind}`` keyed by the contract key field; return how many."""
    from aiokafka import AIOKafkaProducer

    from topics.kafka import ensure_topics

    await ensure_topics(bootstrap, prefix, partitions)
    key_field = KEY_FIELDS[kind]
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=5,
                                max_request_size=4 * 1024 * 1024)
    await producer.start()
    sent = 0
    try:
        futures = [await producer.send(f"{prefix}{kind}", orjson.dumps(rec), key=str(rec[key_field]).encode())
                   for rec in records]
        for fut in futures:
            await fut
            sent += 1
    finally:
        await producer.stop()
    return sent


def _publish(kind: str, records: list[dict[str, Any]]) -> int:
    settings = _settings()
    try:
        return asyncio.run(publish(settings.kafka, settings.topic_prefix, settings.partitions, kind, records))
    except Exception as exc:  # aiokafka's connection errors have no common base worth naming
        raise RegistryError(f"publishing to {settings.topic(kind)} on {settings.kafka} failed: "
                            f"{type(exc).__name__}: {exc}") from exc


# -- commands --------------------------------------------------------------------------------------------

def cmd_upsert(args: argparse.Namespace) -> int:
    loaded = load_file(args.kind, args.file)
    if not loaded.ok:
        for error in loaded.errors:
            print(f"{args.file}: {error}", file=sys.stderr)
        print(f"{len(loaded.errors)} error(s); nothing published", file=sys.stderr)
        return 2
    records = [rec for _, rec in loaded.records]
    if args.dry_run:
        print(f"{len(records)} valid {args.kind} record(s); not published (--dry-run)")
        return 0
    settings = _settings()
    n = _publish(args.kind, records)
    print(f"published {n} {args.kind} record(s) to {settings.topic(args.kind)}")
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    if args.kind == names.BLACKLIST:
        if not args.reason:
            print("remove blacklist needs --reason", file=sys.stderr)
            return 2
        rec = blacklist_removal(args.id, args.reason, args.type)
    else:
        rec = empty_selection(args.id, args.version)
    try:
        parse_record(args.kind, rec)
    except InvalidRecord as exc:
        print(f"invalid record: {exc}", file=sys.stderr)
        return 2
    settings = _settings()
    _publish(args.kind, [rec])
    if args.kind == names.BLACKLIST:
        print(f"published removal of {args.type} {args.id} from the blacklist to {settings.topic(args.kind)}")
    else:
        print(f"published empty selection list version {rec['version']} for {args.id} "
              f"(declares nothing) to {settings.topic(args.kind)}")
    return 0


def worker_url(value: str | None = None) -> str:
    url = value or os.environ.get("LIVEWATCH_WEB") or "127.0.0.1:6066"
    if "://" not in url:
        url = f"http://{url}"
    return url.rstrip("/")


def fetch_host(url: str, host_id: str, limit: int = 20, timeout: float = 10) -> dict[str, Any]:
    from urllib.parse import quote, urlencode

    full = f"{url}/api/hosts/{quote(host_id, safe='')}?{urlencode({'limit': limit})}"
    try:
        with urllib.request.urlopen(full, timeout=timeout) as resp:
            return json.loads(resp.read())
    except urllib.error.HTTPError as exc:
        raise RegistryError(f"GET {full}: HTTP {exc.code}: {exc.read()[:500].decode('utf-8', 'replace')}") from exc
    except OSError as exc:
        raise RegistryError(f"GET {full}: {exc} (is a worker serving on {url}? see --worker)") from exc


def _ts(ms: Any) -> str:
    from topics.timestamps import ms_to_iso

    return ms_to_iso(ms) if isinstance(ms, int) else "-"


def render_host(data: dict[str, Any], console: Any = None) -> None:
    """Print the answer of GET /api/hosts/{host_id} with rich."""
    from rich.console import Console
    from rich.table import Table

    from models import blacklist as bl

    console = console or Console()
    host_id = data.get("host_id", "?")
    registry = data.get("registry") or {}
    console.rule(f"[bold]{host_id}")

    selection = registry.get("selection")
    versions = (selection or {}).get("versions") or []
    if not versions:
        console.print("selection list: [yellow]none declared[/] (product cards raise no_selection_list)")
    else:
        table = Table(title="selection list versions (newest last)", title_justify="left")
        for col in ("version", "valid from", "valid to", "products"):
            table.add_column(col)
        for v in versions:
            products = v.get("products") or []
            listing = "\n".join(f"{p.get('product_id')}  {p.get('title')}"
                                + (f"  [{p.get('brand')}]" if p.get("brand") else "")
                                + (f"  ({p.get('category')})" if p.get("category") else "")
                                for p in products) or "[yellow](empty: declares nothing)[/]"
            table.add_row(str(v.get("version")), _ts(v.get("valid_from_ms")), _ts(v.get("valid_to_ms")), listing)
        console.print(table)

    entry = registry.get("blacklist")
    if not entry:
        console.print("blacklist: [green]not listed[/]")
    else:
        now = bl.listing_at(entry, int(time.time() * 1000))
        status = (f"[bold red]LISTED now[/] ({now.get('reason')})" if now else "[green]not listed now[/]")
        console.print(f"blacklist ({entry.get('subject_type')}): {status}")
        table = Table(title="blacklist listings", title_justify="left")
        for col in ("from", "until", "expires", "reason", "names", "removed because"):
            table.add_column(col)
        for iv in entry.get("intervals") or []:
            table.add_row(_ts(iv.get("from_ms")), _ts(iv.get("until_ms")), _ts(iv.get("expires_at")),
                          str(iv.get("reason") or ""), ", ".join(iv.get("names") or []),
                          str(iv.get("removed_reason") or ""))
        console.print(table)

    alerts = data.get("alerts") or []
    by_kind = data.get("by_kind") or {}
    summary = ", ".join(f"{k}: {n}" for k, n in by_kind.items()) or "none"
    console.print(f"alerts: {data.get('total', len(alerts))} ({summary})")
    if alerts:
        table = Table(title=f"recent alerts ({len(alerts)})", title_justify="left")
        for col in ("detected at", "kind", "rule", "severity", "room", "evidence"):
            table.add_column(col)
        for a in alerts:
            table.add_row(str(a.get("detected_at", "")), str(a.get("kind", "")), str(a.get("rule", "")),
                          str(a.get("severity", "")), str(a.get("room_id", "")), str(a.get("evidence", ""))[:60])
        console.print(table)


def cmd_show(args: argparse.Namespace) -> int:
    data = fetch_host(worker_url(args.worker), args.host_id, limit=args.limit)
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        render_host(data)
    return 0


def run_registry(args: argparse.Namespace) -> int:
    try:
        return args.registry_func(args)
    except RegistryError as exc:
        print(f"livewatch registry: {exc}", file=sys.stderr)
        return 1


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The `registry` subcommands, on the parser `livewatch registry` gets."""
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.description = ("Upsert and remove selection lists, blacklist entries and certificates (published to "
                          "the registry topics; needs LIVEWATCH_KAFKA) and show a host's state.")
    parser.epilog = CSV_HELP
    sub = parser.add_subparsers(dest="registry_command", required=True)

    p = sub.add_parser("upsert", help="publish the records of a JSON or CSV file",
                       formatter_class=argparse.RawDescriptionHelpFormatter, epilog=CSV_HELP)
    p.add_argument("kind", choices=KINDS)
    p.add_argument("file", help="JSON (object, list or JSON Lines) or CSV file; - for standard input")
    p.add_argument("--dry-run", action="store_true", help="validate only, publish nothing")
    p.set_defaults(registry_func=cmd_upsert)

    p = sub.add_parser("remove", help="blacklist: publish op=remove; selections: publish an empty list",
                       formatter_class=argparse.RawDescriptionHelpFormatter,
                       epilog="An empty selection list declares nothing: it becomes the newest version, so "
                              "every product card of the host is then unlisted_product.")
    p.add_argument("kind", choices=(names.BLACKLIST, names.SELECTIONS))
    p.add_argument("id", metavar="SUBJECT_ID|HOST_ID")
    p.add_argument("--reason", help="why the subject is removed (blacklist; required)")
    p.add_argument("--type", choices=("host", "operator", "agency"), default="host",
                   help="subject type (blacklist; default host)")
    p.add_argument("--version", type=int, default=None,
                   help="version of the empty list (selections; default the current epoch ms)")
    p.set_defaults(registry_func=cmd_remove)

    p = sub.add_parser("show", help="a host's registry state and recent alerts, from a worker")
    p.add_argument("host_id")
    p.add_argument("--worker", default=None, help="worker URL or host:port (default LIVEWATCH_WEB)")
    p.add_argument("--limit", type=int, default=20, help="recent alerts to show (default 20)")
    p.add_argument("--json", action="store_true", help="print the worker's JSON answer as is")
    p.set_defaults(registry_func=cmd_show)
