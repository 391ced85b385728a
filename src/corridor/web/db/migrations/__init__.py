"""Alembic migrations of corridor's database."""
