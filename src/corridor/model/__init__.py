"""The typed network model: schema, tables and validation."""
