"""Licences as sources state them, and as a Data Package lists them.

A source's licence is free text (``CC-BY-4.0``, ``CC BY 4.0``, ``CC0-1.0 (fictional demo)``,
or nothing). :func:`licence_id` recognises the common open licences by their SPDX id and
never guesses beyond that; :func:`licence_entry` gives the Data Package ``licenses`` entry.
"""

from __future__ import annotations

import re

#: Licences recognised in a source's licence text: SPDX id → (title, URL).
LICENCES = {
    "CC0-1.0": ("Creative Commons Zero v1.0 Universal",
                "https://creativecommons.org/publicdomain/zero/1.0/"),
    "CC-BY-4.0": ("Creative Commons Attribution 4.0 International",
                  "https://creativecommons.org/licenses/by/4.0/"),
    "CC-BY-SA-4.0": ("Creative Commons Attribution Share Alike 4.0 International",
                     "https://creativecommons.org/licenses/by-sa/4.0/"),
    "CC-BY-NC-4.0": ("Creative Commons Attribution Non Commercial 4.0 International",
                     "https://creativecommons.org/licenses/by-nc/4.0/"),
    "CC-BY-NC-SA-4.0": ("Creative Commons Attribution Non Commercial Share Alike 4.0 "
                        "International", "https://creativecommons.org/licenses/by-nc-sa/4.0/"),
    "CC-BY-3.0": ("Creative Commons Attribution 3.0 Unported",
                  "https://creativecommons.org/licenses/by/3.0/"),
    "CC-BY-SA-3.0": ("Creative Commons Attribution Share Alike 3.0 Unported",
                     "https://creativecommons.org/licenses/by-sa/3.0/"),
    "ODbL-1.0": ("Open Data Commons Open Database License v1.0",
                 "https://opendatacommons.org/licenses/odbl/1-0/"),
    "ODC-By-1.0": ("Open Data Commons Attribution License v1.0",
                   "https://opendatacommons.org/licenses/by/1-0/"),
    "PDDL-1.0": ("Open Data Commons Public Domain Dedication & License 1.0",
                 "https://opendatacommons.org/licenses/pddl/1-0/"),
}
_LICENCE_KEYS = {re.sub(r"[\W_]+", "", k).casefold(): k for k in LICENCES}


def licence_id(text: str) -> str | None:
    """The SPDX id a licence text is, or None; a note in parentheses after it is allowed:
    ``"CC BY 4.0"`` → ``"CC-BY-4.0"``, ``"CC0-1.0 (fictional demo)"`` → ``"CC0-1.0"``,
    ``"CC BY 3.0 IGO"`` or ``"see website"`` → None (given as stated, never guessed).

    >>> licence_id("cc-by-sa 4.0"), licence_id("")
    ('CC-BY-SA-4.0', None)
    """
    text = re.sub(r"\s*\([^()]*\)\s*$", "", text or "")
    return _LICENCE_KEYS.get(re.sub(r"[\W_]+", "", text).casefold())


def licence_entry(text: str) -> dict | None:
    """A Data Package ``licenses`` entry for a source's licence text; None when the source
    states none. An id Shopfloor recognises gets its name, title and URL; any other text
    is given as stated (``title``), its ``path`` pointing to ``sources.csv`` where each
    source's own words are."""
    if not (text or "").strip():
        return None
    spdx = licence_id(text)
    if spdx is not None:
        title, url = LICENCES[spdx]
        return {"name": spdx, "path": url, "title": title}
    return {"title": text.strip(), "path": "sources.csv"}
