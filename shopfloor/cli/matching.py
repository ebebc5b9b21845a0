"""``shopfloor match``: link facility records to the registry."""
