"""Idempotency-Key on the API's POST endpoints."""
