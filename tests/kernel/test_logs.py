"""Log lines are JSON with trace and correlation ids, never the content of an exception."""

from __future__ import annotations

import json
import logging

from opentelemetry.sdk.trace import TracerProvider

from kernel.logs import CORRELATION, IdleNoise, JsonFormatter


def record(message: str, exc: BaseException | None = None) -> logging.LogRecord:
    exc_info = (type(exc), exc, exc.__traceback__) if exc is not None else None
    return logging.LogRecord("wvggz.test", logging.ERROR, __file__, 1, message, (), exc_info)


def test_a_record_is_one_json_line_with_its_trace_span_and_correlation() -> None:
    tracer = TracerProvider().get_tracer("test")
    token = CORRELATION.set("c-1")
    try:
        with tracer.start_as_current_span("handling") as span:
            line = JsonFormatter("wvggz-test").format(record("iets mislukte"))
            ids = span.get_span_context()
    finally:
        CORRELATION.reset(token)

    entry = json.loads(line)
    assert "\n" not in line
    assert entry["message"] == "iets mislukte" and entry["service"] == "wvggz-test"
    assert entry["trace_id"] == f"{ids.trace_id:032x}" and entry["span_id"] == f"{ids.span_id:016x}"
    assert entry["correlation_id"] == "c-1"


def test_an_exception_is_logged_by_type_and_place_not_by_its_message() -> None:
    try:
        raise ValueError("BSN 111222333 van J. Voorbeeld")
    except ValueError as failure:
        line = JsonFormatter("wvggz-test").format(record("mislukt", failure))

    entry = json.loads(line)
    assert entry["exception"] == "ValueError" and entry["stack"]
    assert "111222333" not in line and "Voorbeeld" not in line


def test_an_idle_pull_fetch_timeout_is_dropped_and_a_real_error_kept() -> None:
    idle = record("Task-48 raised an exception, retrying...", TimeoutError())
    real = record("Task-48 raised an exception, retrying...", RuntimeError("kapot"))

    chatter = record("callback for Task-52 is being executed...")

    assert not IdleNoise().filter(idle)
    assert not IdleNoise().filter(chatter)
    assert IdleNoise().filter(real)
