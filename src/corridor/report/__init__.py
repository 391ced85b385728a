"""Presenters: render results as HTML tables, maps and charts."""
