"""Trace sampling: decided where a trace starts, followed by every service it reaches."""

from __future__ import annotations

from opentelemetry import trace
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from kernel.telemetry import tracer_provider


def spans_of(ratio: float, traces: int, *, parent_sampled: bool | None = None) -> int:
    """How many of `traces` root spans (or children of a remote parent) were exported."""
    exporter = InMemorySpanExporter()
    provider = tracer_provider("meldpunt", None, exporter, sample_ratio=ratio)
    tracer = provider.get_tracer("test")
    for n in range(traces):
        context = None
        if parent_sampled is not None:
            flags = trace.TraceFlags(trace.TraceFlags.SAMPLED if parent_sampled else 0)
            parent = trace.SpanContext(n + 1, n + 1, is_remote=True, trace_flags=flags)
            context = trace.set_span_in_context(trace.NonRecordingSpan(parent))
        with tracer.start_as_current_span("registreer-melding", context=context):
            pass
    provider.force_flush()
    provider.shutdown()
    return len(exporter.get_finished_spans())


def test_every_trace_is_recorded_at_ratio_one_and_none_at_zero() -> None:
    assert spans_of(1.0, 200) == 200
    assert spans_of(0.0, 200) == 0


def test_about_the_ratio_of_new_traces_is_recorded() -> None:
    assert 100 <= spans_of(0.1, 2000) <= 300


def test_a_caller_s_decision_is_followed_whatever_the_local_ratio() -> None:
    assert spans_of(0.0, 50, parent_sampled=True) == 50
    assert spans_of(1.0, 50, parent_sampled=False) == 0
