"""Platform tooling: run the services, try the demo, export the contracts."""
