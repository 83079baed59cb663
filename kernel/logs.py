"""Structured logs: one JSON object per line, with trace, span and correlation ids.

A record carries its message, logger and level, and for an exception only its type and where it
happened: exception messages and library output can quote input, and input may be personal data.
"""

from __future__ import annotations

import json
import logging
import sys
import traceback
from contextvars import ContextVar
from datetime import UTC, datetime

from opentelemetry import trace

CORRELATION: ContextVar[str | None] = ContextVar("wvggz_correlation", default=None)
"""The correlation id of the command or event being handled, for every log line it causes."""


class JsonFormatter(logging.Formatter):
    """Formats a record as one line of JSON."""

    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "service": self.service,
            "logger": record.name,
            "message": record.getMessage(),
        }
        span = trace.get_current_span().get_span_context()
        if span.is_valid:
            entry["trace_id"] = f"{span.trace_id:032x}"
            entry["span_id"] = f"{span.span_id:016x}"
        if (correlation := CORRELATION.get()) is not None:
            entry["correlation_id"] = correlation
        if record.exc_info and record.exc_info[0] is not None:
            kind, _value, tb = record.exc_info
            entry["exception"] = kind.__name__
            entry["stack"] = [
                f"{frame.filename}:{frame.lineno} in {frame.name}"
                for frame in traceback.extract_tb(tb)
            ]
        return json.dumps(entry, ensure_ascii=False)


class IdleNoise(logging.Filter):
    """Drops FastStream's report of a pull fetch that found nothing (a timeout, not a fault)
    and its line per subscriber task cancelled at shutdown: chatter that would drown alerts."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if message.startswith("callback for Task-"):
            return False
        exception = record.exc_info[0] if record.exc_info else None
        idle = exception is not None and issubclass(exception, TimeoutError)
        return not (idle and "raised an exception, retrying" in message)


def configure_logging(service: str, level: str) -> None:
    """Every logger of the process writes JSON lines to stderr, without the idle noise."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter(service))
    handler.addFilter(IdleNoise())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in ("faststream", "uvicorn", "uvicorn.error", "uvicorn.access"):
        library = logging.getLogger(name)
        library.handlers[:] = []
        library.propagate = True
