"""``shopfloor match-eval`` and ``shopfloor match-train``: how good the matcher is."""
