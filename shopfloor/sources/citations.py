"""How a fact cites the row it came from, with the file's own status and source URL."""

from __future__ import annotations

import re

#: Status texts that say the compiler of a file was not sure of a value.
UNSURE = re.compile(r"not\s+verified|unverified|inferred|believed|unconfirmed|estimate",
                    re.IGNORECASE)


def citation(number: int, *, extra: str = "", status: str = "", url: str = "") -> str:
    """``row 4 (…); status: …; source: URL`` within 300 characters, the URL kept whole."""
    head = f"row {number}" + (f" ({extra})" if extra else "")
    tail = f"; source: {url}" if url else ""
    if status:
        room = 300 - len(head) - len(tail) - len("; status: ")
        if len(status) > room:
            status = status[:max(room - 1, 0)] + "…"
        head += f"; status: {status}"
    return (head + tail)[:300]
