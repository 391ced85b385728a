"""Readers and writers: CSV folders (canonical), Parquet folders and GeoJSON export."""
