"""Matching records from different sources to one canonical facility."""
