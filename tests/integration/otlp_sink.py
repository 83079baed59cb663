"""An OTLP/HTTP traces endpoint on this machine that keeps every span the services export."""

from __future__ import annotations

import gzip
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)
from opentelemetry.proto.common.v1.common_pb2 import AnyValue
from opentelemetry.proto.trace.v1.trace_pb2 import Span


@dataclass
class SpanSink:
    """The spans received, and the endpoint to give the services as `WVGGZ_OTLP_ENDPOINT`."""

    endpoint: str = ""
    spans: list[Span] = field(default_factory=list)
    resources: list[str] = field(default_factory=list)
    """The `service.name` of each export's resource: which processes exported at all."""


def text_of(span: Span) -> str:
    """A span's name, its attributes and its events' names and attributes, as one text."""
    parts = [span.name, span.status.message]
    for key, value in [(a.key, a.value) for a in span.attributes]:
        parts += [key, _value(value)]
    for event in span.events:
        parts += [event.name, *(f"{a.key}={_value(a.value)}" for a in event.attributes)]
    return "\n".join(parts)


def _value(value: AnyValue) -> str:
    return str(value).strip()


@contextmanager
def span_sink() -> Iterator[SpanSink]:
    """A running OTLP/HTTP endpoint on a free loopback port, closed afterwards."""
    sink = SpanSink()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            if self.headers.get("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
            request = ExportTraceServiceRequest.FromString(body)
            for resource_spans in request.resource_spans:
                names = [
                    a.value.string_value
                    for a in resource_spans.resource.attributes
                    if a.key == "service.name"
                ]
                sink.resources += names
                for scope_spans in resource_spans.scope_spans:
                    sink.spans.extend(scope_spans.spans)
            answer = ExportTraceServiceResponse().SerializeToString()
            self.send_response(200)
            self.send_header("Content-Type", "application/x-protobuf")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, format: str, *args: object) -> None:
            pass  # the test's output is no place for a line per export

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    sink.endpoint = f"http://127.0.0.1:{server.server_address[1]}/v1/traces"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield sink
    finally:
        server.shutdown()
        server.server_close()
