"""PDFs render offline, with Khmer intact, and load nothing they should not."""

import os
import shutil
import subprocess

import pytest

from shopfloor.reports.pdf import render_pdf

KHMER = "របាយការណ៍រោងចក្រ សហជីពសេរីកម្មករ"
_NO_POPPLER = "pdftotext missing (apt-get install poppler-utils; `make test` does)"
if shutil.which("pdftotext") is None and os.environ.get("CI"):
    pytest.fail(_NO_POPPLER, pytrace=False)  # on CI nothing may skip for want of a tool
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason=_NO_POPPLER)


def _text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          check=True, text=True).stdout


@needs_poppler
def test_khmer_survives_into_the_pdf(tmp_path, caplog):
    pdf = render_pdf(f'<html lang="km"><h1>{KHMER}</h1><p>Factory brief</p></html>')
    # every Khmer character had a glyph (WeasyPrint warns of each it had to draw as a box)
    assert not [r for r in caplog.records if ".notdef" in r.getMessage()]
    assert pdf.startswith(b"%PDF")
    text = _text(pdf, tmp_path)
    # copied out exactly as written (the /ActualText spans), not as the glyphs' characters
    assert KHMER in text
    assert "Factory brief" in text
    fonts = subprocess.run(["pdffonts", str(tmp_path / "out.pdf")], capture_output=True,
                           text=True, check=True).stdout
    assert "Noto-Sans-Khmer" in fonts


@pytest.mark.parametrize("url", ["file:///etc/passwd", "http://127.0.0.1:9/x.png",
                                 "https://example.org/tracker.png"])
def test_a_document_cannot_load_files_or_urls(url, tmp_path):
    from shopfloor.reports.pdf import _fetcher

    with pytest.raises(ValueError):
        _fetcher().fetch(url)
    # in a document it is simply not loaded (WeasyPrint logs it), and the PDF still renders
    pdf = render_pdf(f'<p>x</p><img src="{url}">')
    assert pdf.startswith(b"%PDF") and b"root:" not in pdf
