"""HTML to PDF, offline, with Khmer shaped correctly.

WeasyPrint lays the page out with the system's Pango/HarfBuzz, which shape Khmer (stacked
consonants, vowel signs) correctly as long as a Khmer font is there. No Khmer font is
installed on a fresh machine, so the print stylesheet declares Noto Sans Khmer from the
``fontpkg-noto-sans-khmer`` wheel by its file path (SIL Open Font License); Latin text uses
Noto Sans / DejaVu when installed, else WeasyPrint's default.

**Copyable Khmer.** A PDF keeps glyphs, and a reader turns them back into text through the
font's glyph-to-character table. Khmer clusters reorder and merge characters (a vowel sign
drawn before its consonant, a subscript consonant drawn as one glyph with its sign), so
that table alone gives back broken text (``សេរី`` copied as ``សរី``): pdftotext, copy and
paste, search and screen readers all read it wrong. :func:`_with_actual_text` therefore
wraps every line of text WeasyPrint draws in a marked-content span whose ``/ActualText`` is
the line as written (PDF 1.7, 14.9.4), which those tools read instead. It hooks one
WeasyPrint function (``weasyprint.draw.draw_text``); if a WeasyPrint release renames it, the
PDFs still render, only without the spans (a test checks that Khmer copies intact).

Documents may only load what this module allows (:func:`_fetcher`): ``data:`` URIs (charts are
inlined as SVG) and files inside the Shopfloor package and the font package. A report can
never make WeasyPrint read an arbitrary file or fetch a URL, whatever text it contains.

>>> pdf = render_pdf("<h1>របាយការណ៍រោងចក្រ</h1>", title="Factory brief")  # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path

import shopfloor

PACKAGE_DIR = Path(shopfloor.__file__).resolve().parent


def khmer_font_path() -> Path:
    """Noto Sans Khmer (variable weight) from the ``fontpkg-noto-sans-khmer`` wheel."""
    import fontpkg_noto_sans_khmer

    return (Path(fontpkg_noto_sans_khmer.__file__).resolve().parent / "files"
            / "NotoSansKhmer[wdth,wght].ttf")


def _allowed_roots() -> list[Path]:
    return [PACKAGE_DIR, khmer_font_path().parent]


def _allowed(url: str) -> bool:
    from urllib.parse import unquote, urlsplit

    parts = urlsplit(url)
    if parts.scheme == "data":
        return True
    if parts.scheme == "file":
        path = Path(unquote(parts.path)).resolve()
        return path.is_file() and any(path.is_relative_to(r) for r in _allowed_roots())
    return False


def _fetcher():
    """WeasyPrint's URL fetcher, limited to data: URIs and files of the allowed roots."""
    from weasyprint.urls import URLFetcher

    class RestrictedFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if not _allowed(url):
                raise ValueError(f"reports may not load {url!r}")
            return super().fetch(url, headers)

    return RestrictedFetcher(allowed_protocols=("data", "file"), allow_redirects=False)


def print_css() -> str:
    """The stylesheet every PDF gets: A4, the Khmer font, page numbers, readable tables."""
    font = khmer_font_path().as_uri()
    return f"""
@font-face {{ font-family: "Noto Sans Khmer"; src: url("{font}"); font-weight: 100 900; }}
@page {{ size: A4; margin: 16mm 14mm 18mm;
  @bottom-right {{ content: counter(page) " / " counter(pages); font-size: 8pt;
                   color: #57606a; }}
  @bottom-left {{ content: string(doctitle); font-size: 8pt; color: #57606a; }} }}
html {{ font-family: "Noto Sans", "DejaVu Sans", "Noto Sans Khmer", sans-serif;
  font-size: 9.5pt; line-height: 1.45; color: #1b1f24; }}
:lang(km), [lang=km] {{ font-family: "Noto Sans Khmer", "Noto Sans", sans-serif;
  line-height: 1.75; }}
h1 {{ font-size: 17pt; margin: 0 0 2mm; string-set: doctitle content(); line-height: 1.3; }}
h2 {{ font-size: 12.5pt; margin: 6mm 0 2mm; padding-top: 2mm; border-top: 0.5pt solid #d0d7de;
  break-after: avoid; }}
h3 {{ font-size: 10.5pt; margin: 4mm 0 1.5mm; break-after: avoid; }}
table {{ border-collapse: collapse; width: 100%; margin: 1.5mm 0; font-size: 8.5pt; }}
th, td {{ text-align: left; vertical-align: top; padding: 1.2mm 1.5mm;
  border-bottom: 0.4pt solid #d0d7de; }}
thead th {{ color: #57606a; font-weight: 600; }}
tr {{ break-inside: avoid; }}
figure {{ margin: 2mm 0; break-inside: avoid; }}
figure img, figure svg {{ max-width: 100%; }}
figcaption {{ font-weight: 600; margin-bottom: 1mm; }}
small, .muted {{ color: #57606a; font-size: 8pt; }}
.st-compliant {{ color: #1a7f37; }} .st-non_compliant {{ color: #a40e26; font-weight: 600; }}
.demo {{ padding: 1.5mm 3mm; background: #fff8c5; font-weight: 600; }}
.sources li {{ margin-bottom: 1mm; font-size: 8pt; }}
"""


def _utf16_hex(text: str) -> bytes:
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode() + b">"


def _with_actual_text(draw_text):
    """``draw_text`` that wraps the line it draws in ``/Span <</ActualText ...>> BDC … EMC``."""
    def draw_text_with_actual_text(stream, textbox, *args, **kwargs):
        text = getattr(textbox, "text", "")
        if not text.strip():
            return draw_text(stream, textbox, *args, **kwargs)
        stream.begin_marked_content("Span", b"<</ActualText " + _utf16_hex(text) + b">>")
        try:
            return draw_text(stream, textbox, *args, **kwargs)
        finally:
            stream.end_marked_content()

    draw_text_with_actual_text.shopfloor_actual_text = True
    return draw_text_with_actual_text


def _install_actual_text() -> None:
    import weasyprint.draw as draw

    current = getattr(draw, "draw_text", None)
    if current is not None and not getattr(current, "shopfloor_actual_text", False):
        draw.draw_text = _with_actual_text(current)


def render_pdf(html: str, *, stylesheets: tuple[str, ...] = (), base_url: str | None = None
               ) -> bytes:
    """The PDF of an HTML document (a string), with :func:`print_css` and ``stylesheets``
    (CSS strings) applied."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    _install_actual_text()
    fonts, fetcher = FontConfiguration(), _fetcher()
    sheets = [CSS(string=print_css(), font_config=fonts, url_fetcher=fetcher)]
    sheets += [CSS(string=css, font_config=fonts, url_fetcher=fetcher) for css in stylesheets]
    document = HTML(string=html, base_url=base_url or PACKAGE_DIR.as_uri() + "/",
                    url_fetcher=fetcher)
    return document.write_pdf(stylesheets=sheets, font_config=fonts)
