"""What can be checked of the deploy manifests without Docker or a cluster."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from streams.clickhouse import ddl_statements

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"


def test_compose_services_and_wiring() -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = compose["services"]
    assert {"redpanda", "clickhouse", "worker", "grafana"} <= set(services)
    env = services["worker"]["environment"]
    assert env["LIVEWATCH_KAFKA"].startswith("redpanda:")
    assert env["LIVEWATCH_CLICKHOUSE"].startswith("http://")
    for mount in services["grafana"]["volumes"]:
        assert (DEPLOY / mount.split(":")[0].removeprefix("./")).exists(), mount
    assert (DEPLOY / "redpanda" / "redpanda.yaml").exists()
    assert (DEPLOY.parent / services["worker"]["build"]["dockerfile"]).exists()


def test_k8s_documents_parse_and_reference_each_other() -> None:
    docs = list(yaml.safe_load_all((DEPLOY / "k8s" / "livewatch.yaml").read_text()))
    kinds = {d["kind"]: d for d in docs}
    assert {"ConfigMap", "Secret", "StatefulSet", "Service"} <= set(kinds)
    container = kinds["StatefulSet"]["spec"]["template"]["spec"]["containers"][0]
    refs = {next(iter(v.values()))["name"] for v in container["envFrom"]}
    assert refs == {kinds["ConfigMap"]["metadata"]["name"], kinds["Secret"]["metadata"]["name"]}
    assert container["readinessProbe"]["httpGet"]["path"] == "/health"


def test_grafana_json_parses() -> None:
    for path in (DEPLOY / "grafana").glob("*.json"):
        assert json.loads(path.read_text())["panels"]


def test_clickhouse_ddl_applies_on_modern_clickhouse(ch) -> None:
    statements = ddl_statements(ttl_days=7, archive_ttl_days=3)
    assert statements and all("{" not in s for s in statements)
    engines = dict(ch.query("SELECT name, engine FROM system.tables WHERE database = currentDatabase()")
                   .result_rows)
    assert engines["alerts"] == "ReplacingMergeTree"
    assert all(engines[f"archive_{t}"] == "ReplacingMergeTree" for t in ("transcripts", "sessions"))
    ttl = ch.query("SELECT create_table_query FROM system.tables WHERE name = 'alerts'").result_rows[0][0]
    assert "TTL" in ttl and "LowCardinality" in ttl
