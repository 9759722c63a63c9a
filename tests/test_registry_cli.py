"""`livewatch registry` without a broker: files -> contract records, validation, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from streams import cli
from streams.registry_cli import blacklist_removal, empty_selection, load_text, render_host
from topics.records import parse_record

SELECTIONS_CSV = """\
host_id,version,product_id,title,brand,category,valid_from,valid_to
h-lin,2,p-mask,玻尿酸补水面膜 10片,润百颜,化妆品,2026-11-01T00:00:00+08:00,
h-lin,2,p-cream,保湿面霜 50g,,化妆品,2026-11-01T00:00:00+08:00,
h-wu,7,p-tea,西湖龙井 250g,,茶叶,,
h-lin,3,p-mask,玻尿酸补水面膜 10片,润百颜,化妆品,,
h-lin,2,p-serum,精华液 30ml,,,2026-11-01T00:00:00+08:00,
h-empty,9,,,,,,
"""


def records(kind: str, text: str, filename: str | None = None) -> list[dict]:
    loaded = load_text(kind, text, filename)
    assert loaded.errors == []
    return [rec for _, rec in loaded.records]


def test_selection_rows_group_into_one_list_per_host_and_version() -> None:
    loaded = load_text("selections", SELECTIONS_CSV, "sel.csv")
    assert loaded.errors == []
    by_key = {(r["host_id"], r["version"]): (line, r) for line, r in loaded.records}
    assert list(by_key) == [("h-lin", 2), ("h-wu", 7), ("h-lin", 3), ("h-empty", 9)]
    line, lin2 = by_key[("h-lin", 2)]
    assert line == 2
    assert [p["product_id"] for p in lin2["products"]] == ["p-mask", "p-cream", "p-serum"]  # non-adjacent rows
    assert lin2["products"][0] == {"product_id": "p-mask", "title": "玻尿酸补水面膜 10片", "brand": "润百颜",
                                   "category": "化妆品"}
    assert lin2["products"][2] == {"product_id": "p-serum", "title": "精华液 30ml"}  # empty cells are absent
    assert lin2["valid_from"] == "2026-11-01T00:00:00+08:00" and "valid_to" not in lin2
    assert by_key[("h-empty", 9)][1]["products"] == []  # declares nothing
    parsed = parse_record("selections", lin2)
    assert parsed.version == 2 and parsed.valid_from_ms == 1793462400000 and len(parsed.products) == 3


def test_blacklist_csv_splits_names_and_defaults_op_to_add() -> None:
    text = ("subject_id,subject_type,reason,ts,names,expires_at\n"
            "h-bad,host,虚假宣传被处罚,2026-10-01T00:00:00+08:00,坏主播| 坏坏 |,\n"
            "op-9,operator,代运营违规,1790000000000,,2027-01-01T00:00:00+08:00\n")
    recs = records("blacklist", text, "bl.csv")
    assert recs[0] == {"subject_id": "h-bad", "subject_type": "host", "reason": "虚假宣传被处罚",
                       "ts": "2026-10-01T00:00:00+08:00", "names": ["坏主播", "坏坏"], "op": "add"}
    assert recs[1]["op"] == "add" and "names" not in recs[1] and recs[1]["ts"] == 1790000000000  # int on the wire
    assert parse_record("blacklist", recs[1]).expires_at_ms == 1798732800000


def test_blacklist_csv_op_column_is_honoured() -> None:
    text = "subject_id,subject_type,reason,ts,op\nh-bad,host,申诉成功,1790000000000,remove\n"
    assert records("blacklist", text, "bl.csv")[0]["op"] == "remove"


def test_certificates_csv_splits_scope() -> None:
    text = ("\ufeffcert_no,holder,status,ts,scope,expires_at\n"  # Excel's BOM
            "2024011606123456,某电器有限公司,valid,2026-01-01T00:00:00+08:00,电热水壶|电吹风,"
            "2029-01-01T00:00:00+08:00\n")
    [rec] = records("certificates", text, "c.csv")
    assert rec["scope"] == ["电热水壶", "电吹风"] and rec["cert_no"] == "2024011606123456"
    assert parse_record("certificates", rec).status == "valid"


def test_json_object_list_and_jsonl() -> None:
    one = {"subject_id": "h1", "subject_type": "host", "reason": "r", "ts": 1790000000000}
    assert records("blacklist", json.dumps(one)) == [{**one, "op": "add"}]
    listed = load_text("blacklist", json.dumps([one, {**one, "subject_id": "h2", "op": "remove"}], indent=2))
    assert [r["op"] for _, r in listed.records] == ["add", "remove"]
    assert [line for line, _ in listed.records] == [2, 8]  # the line each object starts on
    jsonl = "\n".join(json.dumps({**one, "subject_id": f"h{i}"}) for i in range(3)) + "\n"
    loaded = load_text("blacklist", jsonl, "bl.jsonl")
    assert [(line, r["subject_id"]) for line, r in loaded.records] == [(1, "h0"), (2, "h1"), (3, "h2")]
    sel = {"host_id": "h1", "version": 1, "products": [{"product_id": "p1", "title": "t"}]}
    assert records("selections", json.dumps(sel), "s.json") == [sel]


def test_json_errors_have_line_numbers() -> None:
    good = json.dumps({"cert_no": "c1", "holder": "h", "status": "valid", "ts": 1790000000000})
    text = "\n".join([good, '{"cert_no": "c2", "holder": "h", "status": "lost", "ts": 1790000000000}',
                      '{"cert_no": "c3", broken', "[1]", good]) + "\n"
    loaded = load_text("certificates", text, "c.jsonl")
    assert loaded.errors[0].startswith("line 2: field 'status' must be one of")
    assert loaded.errors[1].startswith("line 3: bad JSON")
    assert loaded.errors[2] == "line 4: expected a JSON object, got list"
    assert len(loaded.errors) == 3


def test_csv_validation_errors_point_at_the_row() -> None:
    text = ("host_id,version,product_id,title,brand,category,valid_from,valid_to\n"
            "h1,1,p1,面膜,,,,\n"
            "h1,1,p2,,,,,\n"  # product without title
            "h2,x,p3,面霜,,,,\n"  # version not an integer
            "h3,1,p4,精华,,,昨天,\n"  # bad timestamp
            "h1,1,p5,乳液,,,2026-11-01T00:00:00+08:00,\n")  # valid_from disagrees within h1 v1
    loaded = load_text("selections", text, "sel.csv")
    assert [e.split(":")[0] for e in loaded.errors] == ["line 3", "line 4", "line 5", "line 6"], loaded.errors
    assert "products[1].title" in loaded.errors[0]
    assert "'version' must be an integer" in loaded.errors[1]
    assert "valid_from" in loaded.errors[2] and "valid_from" in loaded.errors[3]


def test_csv_header_problems() -> None:
    loaded = load_text("blacklist", "subject_id,kind,reason\nh1,host,r\n", "bl.csv")
    assert loaded.errors == [
        "line 1: unknown column(s) kind; blacklist columns are subject_id,subject_type,reason,ts,names,expires_at,op",
        "line 1: missing column(s) subject_type, ts"]
    assert load_text("blacklist", "", "bl.csv").errors
    assert load_text("blacklist", "subject_id,subject_type,reason,ts\n", "bl.csv").errors == ["no records found"]


def test_upsert_with_invalid_records_exits_2_and_publishes_nothing(tmp_path: Path, capsys, monkeypatch) -> None:
    from streams import registry_cli

    monkeypatch.setattr(registry_cli, "_publish", lambda *a: pytest.fail("must not publish"))
    monkeypatch.setenv("LIVEWATCH_KAFKA", "127.0.0.1:1")
    path = tmp_path / "bl.csv"
    path.write_text("subject_id,subject_type,reason,ts\nh1,host,ok,1790000000000\nh2,person,x,1790000000000\n"
                    "h3,host,y,never\n", encoding="utf-8")
    assert cli.main(["registry", "upsert", "blacklist", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}: line 3: field 'subject_type' must be one of" in err
    assert f"{path}: line 4: field 'ts'" in err
    assert "2 error(s); nothing published" in err


def test_upsert_publishes_keyed_records(tmp_path: Path, capsys, monkeypatch) -> None:
    from streams import registry_cli

    sent = []

    async def fake_publish(bootstrap, prefix, partitions, kind, recs):
        sent.append((bootstrap, prefix, kind, list(recs)))
        return len(sent[-1][3])

    monkeypatch.setattr(registry_cli, "publish", fake_publish)
    monkeypatch.setenv("LIVEWATCH_KAFKA", "127.0.0.1:1")
    monkeypatch.setenv("LIVEWATCH_TOPIC_PREFIX", "x.")
    path = tmp_path / "sel.csv"
    path.write_text(SELECTIONS_CSV, encoding="utf-8")
    assert cli.main(["registry", "upsert", "selections", str(path)]) == 0
    [(bootstrap, prefix, kind, recs)] = sent
    assert (bootstrap, prefix, kind, len(recs)) == ("127.0.0.1:1", "x.", "selections", 4)
    assert "published 4 selections record(s) to x.selections" in capsys.readouterr().out


def test_upsert_and_remove_need_kafka(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.delenv("LIVEWATCH_KAFKA", raising=False)
    path = tmp_path / "bl.json"
    path.write_text(json.dumps({"subject_id": "h1", "subject_type": "host", "reason": "r", "ts": 1}))
    assert cli.main(["registry", "upsert", "blacklist", str(path)]) == 1
    assert "LIVEWATCH_KAFKA is not set" in capsys.readouterr().err
    assert cli.main(["registry", "remove", "blacklist", "h1", "--reason", "申诉成功"]) == 1
    assert cli.main(["registry", "upsert", "blacklist", str(path), "--dry-run"]) == 0


def test_remove_records() -> None:
    rec = blacklist_removal("op-1", "申诉成功", "operator", now_ms=1790000000000)
    assert rec == {"subject_id": "op-1", "subject_type": "operator", "op": "remove", "reason": "申诉成功",
                   "ts": 1790000000000}
    assert parse_record("blacklist", rec).op == "remove"
    assert empty_selection("h1", now_ms=1790000000000) == {"host_id": "h1", "version": 1790000000000,
                                                           "products": []}
    assert empty_selection("h1", 5)["version"] == 5


def test_render_host_prints_state_and_alerts() -> None:
    from rich.console import Console

    from models.blacklist import apply_blacklist
    from models.selection import apply_selection

    sel = apply_selection(None, {"host_id": "h1", "version": 3, "products": [
        {"product_id": "p-mask", "title": "玻尿酸补水面膜"}]})
    black = apply_blacklist(None, {"subject_id": "h1", "subject_type": "host", "op": "add", "reason": "虚假宣传",
                                   "ts_ms": 1700000000000, "names": ["坏主播"]})
    console = Console(record=True, width=160)
    render_host({"host_id": "h1", "registry": {"selection": sel, "blacklist": black}, "total": 1,
                 "by_kind": {"blacklisted_host": 1},
                 "alerts": [{"detected_at": "2026-11-22T12:00:00.000+00:00", "kind": "blacklisted_host",
                             "rule": "blacklisted_host", "severity": "critical", "room_id": "r1",
                             "evidence": "h1"}]}, console)
    out = console.export_text()
    assert "p-mask" in out and "LISTED now" in out and "坏主播" in out and "blacklisted_host" in out
