"""JetStream plumbing: streams, the store-to-bus relay, idempotent consumers."""
