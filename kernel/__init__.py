"""Small shared runtime: event store, bus plumbing, command pipeline, settings and telemetry."""
