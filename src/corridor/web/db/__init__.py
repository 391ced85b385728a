"""Persistence of saved scenarios and runs (SQLAlchemy; SQLite by default, PostgreSQL by URL)."""
