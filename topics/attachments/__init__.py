"""Attached files: checking uploads (files), storing them (actions), serving them (views)."""
