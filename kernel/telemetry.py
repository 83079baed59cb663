"""OpenTelemetry tracing and Prometheus metrics for one service process."""

from __future__ import annotations

from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter
from opentelemetry.sdk.trace.sampling import ParentBased, TraceIdRatioBased
from prometheus_client import CollectorRegistry, Counter, Gauge


def tracer_provider(
    service: str,
    otlp_endpoint: str | None,
    exporter: SpanExporter | None = None,
    sample_ratio: float = 1.0,
) -> TracerProvider:
    """A tracer provider batching spans to OTLP when an endpoint is set (or to `exporter`),
    recording the share `sample_ratio` of the traces that start here and every trace whose
    caller recorded it (parent-based)."""
    provider = TracerProvider(
        resource=Resource.create({"service.name": f"wvggz-{service}"}),
        sampler=ParentBased(TraceIdRatioBased(sample_ratio)),
    )
    if exporter is None and otlp_endpoint:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        exporter = OTLPSpanExporter(endpoint=otlp_endpoint)
    if exporter is not None:
        provider.add_span_processor(BatchSpanProcessor(exporter))
    return provider


class ServiceMetrics:
    """Business metrics named `wvggz_<service>_<noun>_<verb>`; labels never hold personal data."""

    def __init__(self, service: str, registry: CollectorRegistry) -> None:
        self.registry = registry
        """Where a service's own metrics go too."""
        self.commands_handled = Counter(
            f"wvggz_{service}_commands_handled",
            "Commands handled, by command and outcome.",
            ["command", "outcome"],
            registry=registry,
        )
        self.events_relayed = Counter(
            f"wvggz_{service}_events_relayed",
            "Stored events published on JetStream by the relay, by event type.",
            ["type"],
            registry=registry,
        )
        self.relay_position = Gauge(
            f"wvggz_{service}_relay_position",
            "Event store position the relay has published up to.",
            registry=registry,
        )

        self.events_parked = Counter(
            f"wvggz_{service}_events_parked",
            "Events from the bus a consumer refused and set aside, by consumer and reason.",
            ["consumer", "reason"],
            registry=registry,
        )
        self.reads_audited = Counter(
            f"wvggz_{service}_reads_audited",
            "Queries answered and recorded in the read audit, by query and outcome.",
            ["query", "outcome"],
            registry=registry,
        )
        self.requests_unauthenticated = Counter(
            f"wvggz_{service}_requests_unauthenticated",
            "Commands and queries refused for want of a valid access token, by reason.",
            ["reason"],
            registry=registry,
        )

    def command_outcome(self, command: str, outcome: str) -> None:
        """Count one handled command."""
        self.commands_handled.labels(command=command, outcome=outcome).inc()
