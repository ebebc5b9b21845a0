"""The Khmer catalogue: complete, not fuzzy, placeholders intact, compiled, and current."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from django.utils import translation

import shopfloor

PACKAGE = Path(shopfloor.__file__).resolve().parent
PO = PACKAGE / "locale" / "km" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
# %(name)s, %s, %d, %%, {name}, {0}, {}
PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|%[sdifr%]|\{\w*\}")


def _entries():
    return [e for e in polib.pofile(str(PO)) if not e.obsolete]


def _placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def _translations(catalogue) -> dict[tuple[str | None, str], tuple[str, ...]]:
    table = {}
    for e in catalogue:
        if e.obsolete or not e.msgid:
            continue
        if e.msgid_plural:
            value = tuple(e.msgstr_plural[k] for k in sorted(e.msgstr_plural, key=int))
        else:
            value = (e.msgstr,)
        table[(e.msgctxt, e.msgid)] = value
    return table


def test_catalogue_has_entries():
    assert len(_entries()) > 100


def test_every_entry_is_translated():
    untranslated = [e.msgid for e in _entries()
                    if not (all(e.msgstr_plural.values()) if e.msgid_plural else e.msgstr)]
    assert untranslated == []


def test_plural_entries_have_exactly_one_form_for_khmer():
    po = polib.pofile(str(PO))
    assert po.metadata["Plural-Forms"].startswith("nplurals=1;")
    wrong = [e.msgid for e in _entries() if e.msgid_plural and sorted(e.msgstr_plural) != [0]]
    assert wrong == []


def test_nothing_is_fuzzy():
    po = polib.pofile(str(PO))
    assert not po.metadata_is_fuzzy
    assert [e.msgid for e in _entries() if "fuzzy" in e.flags] == []


def test_placeholders_are_kept():
    broken = []
    for e in _entries():
        if e.msgid_plural:
            pairs = [(e.msgid_plural, s) for s in e.msgstr_plural.values()]
        else:
            pairs = [(e.msgid, e.msgstr)]
        for source, target in pairs:
            if _placeholders(source) != _placeholders(target):
                broken.append((source, target))
    assert broken == []


def test_khmer_text_is_khmer():
    """Sentences (not names, codes or symbols) are written in Khmer script."""
    latin_only = [
        e.msgid for e in _entries()
        if not e.msgid_plural and len(e.msgid.split()) > 2
        and not re.search(r"[\u1780-\u17ff]", e.msgstr)
    ]
    assert latin_only == []


def test_compiled_catalogue_matches_the_po_file():
    assert MO.exists(), "run: msgfmt --check -o django.mo django.po"
    compiled = _translations(polib.mofile(str(MO)))
    source = _translations(polib.pofile(str(PO)))
    assert compiled == source, "django.mo is stale: recompile it from django.po"


def test_django_uses_the_catalogue():
    with translation.override("km"):
        assert translation.gettext("Find a factory") == "ស្វែងរករោងចក្រ"
        assert translation.pgettext("province", "Kandal") == "កណ្ដាល"
        assert translation.ngettext("%(counter)s factory", "%(counter)s factories", 3) % {
            "counter": 3} == "រោងចក្រចំនួន 3"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="gettext tools not installed")
def test_catalogue_lists_every_string_in_the_code(tmp_path, monkeypatch, settings):
    """Running makemessages finds no string missing from, nor extra in, the catalogue."""
    copy = tmp_path / "shopfloor"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    settings.LOCALE_PATHS = [copy / "locale"]
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=["km"], ignore_patterns=[".venv/*", "tests/*"],
                 verbosity=0)
    fresh = {(e.msgctxt, e.msgid) for e in polib.pofile(str(copy / PO.relative_to(PACKAGE)))
             if not e.obsolete and e.msgid}
    committed = {(e.msgctxt, e.msgid) for e in _entries() if e.msgid}
    assert sorted(fresh - committed, key=str) == [], "new strings: run `make messages`, translate"
    assert sorted(committed - fresh, key=str) == [], "strings no longer used: run `make messages`"
