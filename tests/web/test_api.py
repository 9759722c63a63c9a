"""The HTTP API against a real chdb ClickHouse and a real AlertFeed."""

from __future__ import annotations

import asyncio
import json
import re
import time
from typing import Any

import orjson
import pytest

from streams.clickhouse import insert_alerts
from streams.web import queries
from streams.web.openapi import openapi_spec
from streams.web.server import _highlight, matches

REPO_GRAFANA = queries.__file__.rsplit("/streams/", 1)[0] + "/deploy/grafana"


async def get(web: Any, path: str, status: int = 200, **params: Any) -> Any:
    response = await web.client.get(path, params=params)
    assert response.status == status, await response.text()
    return await response.json()


async def test_health_and_page(web_factory):
    async with web_factory() as web:
        assert await get(web, "/health") == {"ready": True}
        page = await web.client.get("/")
        text = await page.text()
        assert page.status == 200 and "实时告警" in text and "/static/app.js" in text
        for asset in ("/static/app.js", "/static/style.css"):
            assert (await web.client.get(asset)).status == 200


async def test_alerts_filters_and_paging(web_factory, ch, make_alert):
    now = int(time.time() * 1000)
    alerts = [make_alert(event_ts_ms=now - i * 1000, platform="douyin" if i % 2 else "kuaishou",
                         severity="critical" if i < 3 else "high") for i in range(10)]
    replayed = make_alert(replay_id="rp-1")
    insert_alerts(ch, [*alerts, replayed])
    insert_alerts(ch, alerts[:2])  # a redelivery: FINAL keeps one row each
    async with web_factory() as web:
        body = await get(web, "/api/alerts")
        assert body["count"] == 10 and body["total"] == 10
        assert [a["alert_id"] for a in body["alerts"]] == [a.alert_id for a in alerts]  # newest first
        assert all(a["replay_id"] == "" for a in body["alerts"])

        page = await get(web, "/api/alerts", limit=4, offset=4)
        assert page["count"] == 4 and page["total"] == 10
        assert [a["alert_id"] for a in page["alerts"]] == [a.alert_id for a in alerts[4:8]]

        douyin = await get(web, "/api/alerts", platform="douyin", severity="critical")
        assert {a["alert_id"] for a in douyin["alerts"]} == {alerts[1].alert_id}
        assert (await get(web, "/api/alerts", host_id="nobody"))["alerts"] == []

        replay = await get(web, "/api/alerts", replay_id="rp-1")
        assert [a["alert_id"] for a in replay["alerts"]] == [replayed.alert_id]
        assert (await get(web, "/api/alerts", replay_id="*"))["total"] == 11

        since = await get(web, "/api/alerts", since=str(now - 2500))
        assert since["total"] == 3
        await get(web, "/api/alerts", 400, limit="lots")
        assert (await get(web, "/api/alerts", limit=5000))["limit"] == 1000
        await get(web, "/api/alerts", 400, limit=-1)
        await get(web, "/api/alerts", 400, since="yesterday")


async def test_stream_receives_published_alert(web_factory, make_alert):
    async with web_factory(keepalive_seconds=0.2) as web:
        response = await web.client.get("/api/alerts/stream", params={"platform": "douyin"})
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/event-stream")
        assert await response.content.readuntil(b"\n\n") == b"retry: 3000\n: connected\n\n"
        assert web.feed.subscribers == 1  # subscribed before the stream opened

        web.feed.publish(make_alert(platform="kuaishou").to_contract())  # filtered out
        web.feed.publish(make_alert(replay_id="rp-9").to_contract())  # a replay: never on the live feed
        wanted = make_alert(evidence="降血压降血糖")
        web.feed.publish(wanted.to_contract())

        async def next_event() -> bytes:
            while True:
                chunk = await response.content.readuntil(b"\n\n")
                if not chunk.startswith(b":"):
                    return chunk
        event = await asyncio.wait_for(next_event(), 5)
        lines = dict(line.split(": ", 1) for line in event.decode().strip().split("\n"))
        assert lines["event"] == "alert" and lines["id"] == wanted.alert_id
        assert json.loads(lines["data"]) == wanted.to_contract()

        keepalive = await asyncio.wait_for(response.content.readuntil(b"\n\n"), 5)
        assert keepalive == b": keep-alive\n\n"
        response.close()


async def test_shutdown_ends_open_streams(web_factory):
    async with web_factory() as web:
        response = await web.client.get("/api/alerts/stream")
        await response.content.readuntil(b"\n\n")
        assert web.feed.subscribers == 1
        await asyncio.wait_for(web.client.close(), 10)
        assert web.feed.subscribers == 0


def test_stream_filter_rules(make_alert):
    alert = make_alert().to_contract()
    assert matches(alert, {}) and matches(alert, {"platform": "douyin", "kind": "false_advertising"})
    assert not matches(alert, {"host_id": "other"})
    replay = make_alert(replay_id="rp").to_contract()
    assert not matches(replay, {}) and matches(replay, {"replay_id": "rp"}) and matches(replay, {"replay_id": "*"})


async def test_alert_detail_with_transcript_context(web_factory, ch, make_alert, archive_segments):
    texts = ["欢迎新进直播间的宝宝们", "哈喽宝宝们晚上好", "今天给大家带来这款面膜", "这款面膜是全网最低价，别家都没有",
             "一盒十片", "赶紧下单", "还有最后五十单", "喜欢的家人们点点关注"]
    alert = make_alert(evidence="全网最低价", details={"start": 5, "end": 10, "field": "text"})
    insert_alerts(ch, [alert])
    archive_segments(ch, alert, texts, hit=3)
    async with web_factory() as web:
        body = await get(web, f"/api/alerts/{alert.alert_id}")
        assert body["alert"]["evidence"] == "全网最低价"
        segments = body["context"]["segments"]
        assert body["context"]["available"] is True
        assert [s["text"] for s in segments] == texts[:7]  # 3 before and 3 after
        hit = [s for s in segments if s["evidence"]]
        assert len(hit) == 1 and hit[0]["highlight"] == [5, 10]
        assert hit[0]["text"][5:10] == "全网最低价"
        await get(web, "/api/alerts/nope", 404)
    # segments of the same session long before (another topic of conversation) are not context
    lone = make_alert(session_id="dy-s-lone", evidence="最低价", details={})
    insert_alerts(ch, [lone])
    archive_segments(ch, lone, ["最低价就在今天"], hit=0)
    archive_segments(ch, make_alert(session_id="dy-s-lone", event_ts_ms=lone.event_ts_ms - 600_000),
                     ["十分钟前的话"], hit=0)
    async with web_factory() as web:
        body = await get(web, f"/api/alerts/{lone.alert_id}")
        assert [(s["text"], s["highlight"]) for s in body["context"]["segments"]] == [("最低价就在今天", [0, 3])]


def test_highlight_rules():
    def alert(evidence: str, **details: Any) -> dict[str, Any]:
        return {"evidence": evidence, "details": json.dumps(details)}
    text = "这款面膜是全网最低价"
    assert _highlight(text, alert("全网最低价", start=5, end=10)) == [5, 10]
    assert _highlight(text, alert("全网最低价", start=1, end=3)) == [5, 10]  # offsets off: search
    assert _highlight(text, alert("全網最低價", start=5, end=10)) == [5, 10]  # normalised evidence
    assert _highlight(text, alert("別的")) is None


async def test_alert_detail_without_archive(web_factory, ch, make_alert):
    alert = make_alert()
    insert_alerts(ch, [alert])
    ch.command("RENAME TABLE archive_transcripts TO archive_transcripts_away")
    try:
        async with web_factory() as web:
            body = await get(web, f"/api/alerts/{alert.alert_id}")
            assert body["context"] == {"available": False, "segments": []}
            assert body["alert"]["evidence"] == alert.evidence
    finally:
        ch.command("RENAME TABLE archive_transcripts_away TO archive_transcripts")


async def test_minutely_counts(web_factory, ch, make_alert):
    minute = int(time.time() * 1000) // 60_000 * 60_000
    alerts = ([make_alert(event_ts_ms=minute + 1000 + i) for i in range(3)]
              + [make_alert(event_ts_ms=minute - 5 * 60_000 + 10, kind="price_anomaly") for _ in range(2)]
              + [make_alert(event_ts_ms=minute - 5 * 60_000 + 20, platform="kuaishou")]
              + [make_alert(event_ts_ms=minute - 90 * 60_000)]  # outside the hour
              + [make_alert(event_ts_ms=minute + 2000, replay_id="rp")])  # a replay
    insert_alerts(ch, alerts)
    async with web_factory() as web:
        body = await get(web, "/api/stats/minutely", minutes=60)
        assert len(body["buckets"]) == 60 and body["total"] == 6
        buckets = {b["minute"]: b for b in body["buckets"] if b["total"]}
        last, five_ago = body["buckets"][-1], body["buckets"][-6]
        assert set(buckets) == {last["minute"], five_ago["minute"]}
        assert last["total"] == 3 and last["by_kind"] == {"false_advertising": 3}
        assert five_ago["total"] == 3 and five_ago["by_kind"] == {"price_anomaly": 2, "false_advertising": 1}
        douyin = await get(web, "/api/stats/minutely", minutes=10, platform="douyin")
        assert douyin["total"] == 5 and len(douyin["buckets"]) == 10
        await get(web, "/api/stats/minutely", 400, minutes=0)


async def test_top_hosts_and_rooms(web_factory, ch, make_alert):
    now = int(time.time() * 1000)
    alerts = ([make_alert(host_id="h-a", room_id="r-1", event_ts_ms=now - 1000) for _ in range(4)]
              + [make_alert(host_id="h-b", room_id="r-2", severity="critical", event_ts_ms=now - 1000)
                 for _ in range(2)]
              + [make_alert(host_id="h-b", room_id="r-3", event_ts_ms=now - 1000)]
              + [make_alert(host_id="h-c", room_id="r-4", event_ts_ms=now - 3 * 86_400_000)]  # not today
              + [make_alert(host_id="h-d", room_id="r-5", event_ts_ms=now - 1000, replay_id="rp")])
    insert_alerts(ch, alerts)
    async with web_factory() as web:
        hosts = await get(web, "/api/stats/top", by="host", tz="UTC")
        assert [(i["key"], i["alerts"], i["critical"]) for i in hosts["items"]] == [("h-a", 4, 0), ("h-b", 3, 2)]
        rooms = await get(web, "/api/stats/top", by="room", limit=2, tz="UTC")
        assert [(i["key"], i["alerts"], i["host_id"]) for i in rooms["items"]] == [("r-1", 4, "h-a"),
                                                                                  ("r-2", 2, "h-b")]
        critical = await get(web, "/api/stats/top", by="host", severity="critical", tz="UTC")
        assert [i["key"] for i in critical["items"]] == ["h-b"]
        by_host = await get(web, "/api/stats/top", by="room", host_id="h-b", platform="douyin", tz="UTC")
        assert [(i["key"], i["platform"]) for i in by_host["items"]] == [("r-2", "douyin"), ("r-3", "douyin")]
        assert (await get(web, "/api/stats/top"))["tz"] == "Asia/Shanghai"
        await get(web, "/api/stats/top", 400, by="platform")
        await get(web, "/api/stats/top", 400, tz="Mars/Olympus")


async def test_clickhouse_failure_is_a_json_503(web_factory):
    from clickhouse_connect.driver.exceptions import OperationalError

    class Down:
        def query(self, *args: Any, **kwargs: Any) -> Any:
            raise OperationalError("connection refused")

    async with web_factory(client_factory=Down) as web:
        body = await get(web, "/api/alerts", 503)
        assert body["error"] == "ClickHouse unavailable"
        assert (await get(web, "/health")) == {"ready": True}


async def test_host_view_with_registry_state(web_factory, ch, make_alert):
    insert_alerts(ch, [make_alert(host_id="dy-h-bad", kind=k) for k in ("false_advertising", "blacklisted_host",
                                                                        "blacklisted_host")])
    async with web_factory() as web:
        body = await get(web, "/api/hosts/dy-h-bad", limit=2)
        assert body["count"] == 2 and body["total"] == 3
        assert body["by_kind"] == {"blacklisted_host": 2, "false_advertising": 1}
        assert body["registry"] == {"blacklisted": True, "selection_version": 3}
        assert web.registry_calls == ["dy-h-bad"]
    async with web_factory(with_registry=False) as web:
        assert (await get(web, "/api/hosts/dy-h-bad"))["registry"] is None


async def test_registry_post_needs_token(web_factory):
    record = {"host_id": "dy-h-bad", "reason": "虚假宣传屡教不改"}
    async with web_factory(token="s3cret") as web:
        post = web.client.post
        assert (await post("/api/registry/blacklist", json=record)).status == 401
        wrong = await post("/api/registry/blacklist", json=record, headers={"Authorization": "Bearer nope"})
        assert wrong.status == 401 and "Bearer" in wrong.headers["WWW-Authenticate"]
        auth = {"Authorization": "Bearer s3cret"}
        ok = await post("/api/registry/blacklist", json=record, headers=auth)
        assert ok.status == 202 and await ok.json() == {"accepted": True, "kind": "blacklist"}
        assert web.published == [("blacklist", record)]
        assert (await post("/api/registry/alerts", json=record, headers=auth)).status == 404
        assert (await post("/api/registry/lexicon", data=b"[1]", headers=auth)).status == 400
        assert (await post("/api/registry/lexicon", data=b"{", headers=auth)).status == 400
    async with web_factory(token=None) as web:
        response = await web.client.post("/api/registry/blacklist", json=record,
                                         headers={"Authorization": "Bearer s3cret"})
        assert response.status == 503
    async with web_factory(with_publish=False) as web:
        response = await web.client.post("/api/registry/blacklist", json=record,
                                         headers={"Authorization": "Bearer s3cret"})
        assert response.status == 503


async def test_openapi_describes_every_route(web_factory):
    async with web_factory() as web:
        spec = await get(web, "/api/openapi.json")
    assert spec["openapi"].startswith("3.") and spec == openapi_spec()
    routes = set()
    for resource in web.client.app.router.resources():
        info = resource.get_info()
        path = info.get("path") or info.get("formatter")
        if path and not path.startswith("/static") and path != "/":
            routes.add(path)
    assert routes == set(spec["paths"])
    # every $ref resolves
    text = json.dumps(spec)
    for ref in re.findall(r'"\$ref": "#/components/schemas/(\w+)"', text):
        assert ref in spec["components"]["schemas"]
    for path, operations in spec["paths"].items():
        for operation in operations.values():
            assert operation["responses"] and operation["summary"]
            declared = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
            assert declared == set(re.findall(r"{(\w+)}", path)), path
    try:
        from openapi_spec_validator import validate
    except ImportError:
        return
    validate(spec)


def test_grafana_dashboard_uses_shared_sql():
    with open(f"{REPO_GRAFANA}/livewatch.json", encoding="utf-8") as f:
        dashboard = json.load(f)
    assert dashboard == queries.grafana_dashboard(), "regenerate: python -m streams.web.queries"
    sqls = [t["rawSql"] for p in dashboard["panels"] for t in p["targets"]]
    assert sqls == [queries.for_grafana(name, limit) for _, name, limit, _, _ in queries.PANELS]
    uid = {t["datasource"]["uid"] for p in dashboard["panels"] for t in p["targets"]}
    import yaml

    with open(f"{REPO_GRAFANA}/provisioning/datasources/clickhouse.yaml", encoding="utf-8") as f:
        datasources = yaml.safe_load(f)["datasources"]
    assert uid == {ds["uid"] for ds in datasources}
    assert datasources[0]["type"] == "grafana-clickhouse-datasource"
    with open(f"{REPO_GRAFANA}/provisioning/dashboards/livewatch.yaml", encoding="utf-8") as f:
        assert yaml.safe_load(f)["providers"][0]["type"] == "file"


@pytest.mark.parametrize("name", list(queries.TEMPLATES))
def test_grafana_sql_runs_on_clickhouse(ch, make_alert, name):
    """The dashboard's statements are valid ClickHouse once Grafana expands its time macro."""
    insert_alerts(ch, [make_alert(severity="critical")])
    sql = queries.for_grafana(name).replace(
        "$__timeFilter(event_ts)", "event_ts >= now() - INTERVAL 1 HOUR AND event_ts <= now()")
    assert ch.query(sql).result_rows
    assert orjson.dumps(queries.grafana_dashboard())
