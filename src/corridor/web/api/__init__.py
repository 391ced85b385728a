"""Routers of the REST API, one module per group of endpoints."""
