"""The staff portal and the HTTP API: people and integrators reach the services through it."""
