"""``shopfloor review`` and ``shopfloor merge-duplicates``: people decide."""
