"""The staff portal: server-rendered pages on the same services as the HTTP API."""
