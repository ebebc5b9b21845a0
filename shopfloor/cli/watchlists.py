"""``shopfloor watchlist …`` and ``shopfloor export watchlist``."""
