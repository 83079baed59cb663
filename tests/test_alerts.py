"""Alert rules, their promtool unit tests, and the metric names they and the dashboards use."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from prometheus_client import CollectorRegistry

from kernel.ops import OpsMetrics
from kernel.parking import ParkedCollector
from kernel.projection import ViewStore
from kernel.telemetry import ServiceMetrics
from services.notificaties.levering.bezorger import Tellers
from services.notificaties.levering.stand import WachtrijStand
from services.notificaties.levering.wachtrij import Wachtrij

ROOT = Path(__file__).resolve().parents[1]
PROMETHEUS_DIR = ROOT / "infra" / "prometheus"
ALERTS = PROMETHEUS_DIR / "alerts.yml"
ALERTS_TEST = PROMETHEUS_DIR / "alerts_test.yml"
DASHBOARDS = sorted((ROOT / "infra" / "grafana" / "dashboards").glob("*.json"))
SERVICES = ("meldpunt", "onderzoek", "crisis", "overleg", "notificaties")
INSTALL = (
    "apt-get update && apt-get install -y --no-install-recommends prometheus"
    " (Debian/Ubuntu, as root; `make test` does this in a container)"
)
# Series Prometheus makes itself or the process collector registers in kernel/service.py.
NOT_OURS = {"up", "process_cpu_seconds_total", "process_resident_memory_bytes"}


def promtool() -> str:
    found = shutil.which("promtool")
    if found is None:
        pytest.skip(f"promtool is not installed; install it with: {INSTALL}")
    return found


@pytest.mark.parametrize(
    "args",
    [["check", "rules", str(ALERTS)], ["test", "rules", str(ALERTS_TEST)]],
    ids=["check-rules", "test-rules"],
)
def test_promtool(args: list[str]) -> None:
    result = subprocess.run(
        [promtool(), *args], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def registered_names(service: str) -> set[str]:
    """The series names a service's business and ops metrics expose, as Prometheus sees them."""
    registry = CollectorRegistry()
    OpsMetrics(service, registry)
    ServiceMetrics(service, registry)
    registry.register(ParkedCollector(service, ViewStore(":memory:")))
    if service == "notificaties":
        Tellers.voor(registry)
        registry.register(WachtrijStand(Wachtrij(Path(":memory:")), lambda: datetime.now(UTC)))
    names: set[str] = set()
    for family in registry.collect():
        names.add(f"{family.name}_total" if family.type == "counter" else family.name)
    return names


def used_names(expression: str) -> list[str]:
    """Metric names and `__name__=~` patterns in a PromQL expression, as full-match regexes."""
    patterns = re.findall(r'__name__=~"([^"]+)"', expression)
    without = re.sub(r'"[^"]*"', '""', expression)
    plain = re.findall(r"\b(?:wvggz_\w+|up|process_\w+)\b(?!\s*\()", without)
    return patterns + [re.escape(name) for name in plain]


def rule_expressions() -> list[str]:
    document: dict[str, Any] = yaml.safe_load(ALERTS.read_text(encoding="utf-8"))
    return [rule["expr"] for group in document["groups"] for rule in group["rules"]]


def dashboard_expressions() -> list[str]:
    expressions: list[str] = []
    for path in DASHBOARDS:
        dashboard: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        for panel in dashboard["panels"]:
            expressions.extend(target["expr"] for target in panel["targets"])
    return expressions


def test_the_rules_and_dashboards_use_only_registered_metrics() -> None:
    """A renamed metric fails here, not silently in production (an alert that never fires)."""
    by_service = {service: registered_names(service) for service in SERVICES}
    expressions = rule_expressions() + dashboard_expressions()
    assert len(DASHBOARDS) == 2
    assert expressions
    for expression in expressions:
        used = used_names(expression)
        assert used, expression
        for pattern in used:
            if any(re.fullmatch(pattern, name) for name in NOT_OURS):
                continue
            # A metric named after one service need only exist there.
            named = [s for s in by_service if pattern.startswith(f"wvggz_{s}_")]
            missing = [
                service
                for service, names in by_service.items()
                if (not named or service in named)
                and not any(re.fullmatch(pattern, name) for name in names)
            ]
            assert not missing, f"{pattern!r} matches no metric of {missing} in: {expression}"


def test_every_rule_has_a_severity_and_annotations() -> None:
    document: dict[str, Any] = yaml.safe_load(ALERTS.read_text(encoding="utf-8"))
    for group in document["groups"]:
        for rule in group["rules"]:
            assert rule["labels"]["severity"] in {"warning", "critical"}, rule["alert"]
            assert rule["labels"]["categorie"] in {"wettelijke-termijn", "platform"}
            assert rule["annotations"]["summary"] and rule["annotations"]["description"]


def test_every_rule_is_unit_tested() -> None:
    document: dict[str, Any] = yaml.safe_load(ALERTS_TEST.read_text(encoding="utf-8"))
    tested = {case["alertname"] for test in document["tests"] for case in test["alert_rule_test"]}
    firing = {
        case["alertname"]
        for test in document["tests"]
        for case in test["alert_rule_test"]
        if case["exp_alerts"]
    }
    names = {
        rule["alert"]
        for group in yaml.safe_load(ALERTS.read_text(encoding="utf-8"))["groups"]
        for rule in group["rules"]
    }
    assert tested == names
    assert firing == names
