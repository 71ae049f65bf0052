"""Helpers shared by the integration tests: services, server processes, clients."""
