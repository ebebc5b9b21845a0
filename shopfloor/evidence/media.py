"""Copies of evidence files without the metadata that can identify or locate a worker.

A phone's photo carries the place it was taken (EXIF GPS), the phone's make and model, the
time, sometimes the owner's name; a video carries the same in its container; a PDF its
author and the software that made it. Shopfloor keeps the original untouched (restricted,
for chain of custody) and shows or shares only copies made here:

* **photos** (JPEG, PNG, WebP) are decoded and re-encoded from their pixels alone, turned
  upright first (so dropping the orientation tag does not turn them), at most
  :data:`SHARED_MAX_PX` pixels wide or high, plus a small thumbnail for phones;
* **video and audio** are copied stream by stream into a new container with ffmpeg (the
  wheel ``imageio-ffmpeg``) with every global, stream and chapter metadata dropped — the
  sound and pictures are not re-encoded (that would take minutes on a small server), the
  container that holds location and device tags is;
* **PDFs** are rewritten without the document information, XMP metadata and embedded
  files, and every JPEG image inside loses its EXIF/XMP segments.

The type of a file is read from its first bytes (``filetype``), never from its name.
"""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

#: Longest side of a shared photo, and of a thumbnail, in pixels.
SHARED_MAX_PX = 1600
THUMBNAIL_PX = 360
#: Photos with more pixels than this are refused (decompression bombs).
MAX_PIXELS = 60_000_000
#: ffmpeg gets this long to copy a video.
FFMPEG_TIMEOUT_S = 180

#: Accepted types: MIME type → (kind, extension of the shared copy).
ACCEPTED = {
    "image/jpeg": ("photo", "jpg"),
    "image/png": ("photo", "png"),
    "image/webp": ("photo", "jpg"),
    "video/mp4": ("video", "mp4"),
    "video/quicktime": ("video", "mp4"),
    "video/3gpp": ("video", "3gp"),
    "video/webm": ("video", "webm"),
    "audio/mpeg": ("audio", "mp3"),
    "audio/mp4": ("audio", "m4a"),
    "audio/m4a": ("audio", "m4a"),
    "audio/x-m4a": ("audio", "m4a"),
    "audio/ogg": ("audio", "ogg"),
    "audio/amr": ("audio", "amr"),
    "audio/x-wav": ("audio", "wav"),
    "audio/wav": ("audio", "wav"),
    "application/pdf": ("document", "pdf"),
}

#: EXIF tags by the kind of information they give away (names shown to users).
_EXIF_KINDS = {
    0x8825: "GPS position",
    0x010F: "camera make and model", 0x0110: "camera make and model",
    0xA433: "camera make and model", 0xA434: "camera make and model",
    0xA431: "camera serial number", 0xA435: "camera serial number",
    0x0132: "date and time", 0x9003: "date and time", 0x9004: "date and time",
    0x0131: "software", 0x013B: "owner or author", 0xA430: "owner or author",
    0x8298: "owner or author", 0x9C9D: "owner or author",
    0x010E: "description", 0x9286: "description", 0x9C9C: "description",
}


#: How each kind of removed metadata (as stored in ``EvidenceFile.removed_metadata``) is
#: shown to readers.
METADATA_LABELS = {
    "GPS position": gettext_lazy("GPS position"),
    "camera make and model": gettext_lazy("camera make and model"),
    "camera serial number": gettext_lazy("camera serial number"),
    "date and time": gettext_lazy("date and time"),
    "software": gettext_lazy("software"),
    "owner or author": gettext_lazy("owner or author"),
    "description": gettext_lazy("description"),
    "other camera data": gettext_lazy("other camera data"),
    "XMP metadata": gettext_lazy("XMP metadata"),
    "comment": gettext_lazy("comment"),
    "colour profile": gettext_lazy("colour profile"),
    "document information (author, software, dates)": gettext_lazy(
        "document information (author, software, dates)"),
    "camera data in images": gettext_lazy("camera data in images"),
    "recording metadata": gettext_lazy("recording metadata"),
}

#: Container tags that say nothing about the person or place (not listed as removed).
_HARMLESS_CONTAINER_TAGS = frozenset({"major_brand", "minor_version", "compatible_brands",
                                      "encoder"})


class MediaError(ValueError):
    """A file that cannot be accepted or copied safely; the message says why."""


@dataclass
class SafeCopy:
    """A metadata-free copy (``data``) with its extension, a thumbnail for photos, and
    which kinds of metadata the original had that the copies do not."""

    data: bytes
    extension: str
    thumbnail: bytes | None = None
    removed: list[str] = field(default_factory=list)
    taken_at: dt.datetime | None = None
    width: int | None = None
    height: int | None = None


def detect(head: bytes) -> tuple[str, str]:
    """``(kind, MIME type)`` of a file from its first bytes; :class:`MediaError` for a
    type the vault does not take."""
    import filetype

    guess = filetype.guess(head)
    mime = guess.mime if guess else ""
    if mime == "video/mp4" and head[8:12] in (b"M4A ", b"M4B "):
        mime = "audio/mp4"
    if mime not in ACCEPTED:
        raise MediaError(
            _("This kind of file (%(type)s) cannot be kept: send a photo (JPEG, PNG), a "
              "video (MP4), a sound recording (MP3, M4A, AMR, OGG) or a PDF.") % {
                "type": mime or _("unknown")})
    return ACCEPTED[mime][0], mime


# -- photos ------------------------------------------------------------------------------


def _exif_removed(image) -> tuple[list[str], dt.datetime | None]:
    exif = image.getexif()
    kinds = []
    for tag in exif:
        kinds.append(_EXIF_KINDS.get(tag, "other camera data"))
    for ifd in (0x8769, 0x8825):  # Exif and GPS sub-directories
        try:
            sub = exif.get_ifd(ifd)
        except KeyError:
            sub = {}
        kinds += [_EXIF_KINDS.get(tag, "other camera data") for tag in sub]
        if ifd == 0x8825 and sub:
            kinds.append("GPS position")
    taken = None
    try:
        raw = exif.get_ifd(0x8769).get(0x9003) or exif.get(0x0132)
        if raw:
            taken = dt.datetime.strptime(str(raw).strip("\x00 "), "%Y:%m:%d %H:%M:%S")
    except (KeyError, ValueError):
        taken = None
    info = image.info
    if "xmp" in info or "XML:com.adobe.xmp" in info:
        kinds.append("XMP metadata")
    if "comment" in info:
        kinds.append("comment")
    if "icc_profile" in info:
        kinds.append("colour profile")
    return sorted(set(kinds)), taken


def _encode(image, fmt: str, max_px: int) -> bytes:
    from PIL import Image

    copy = image.copy()
    copy.thumbnail((max_px, max_px), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    if fmt == "PNG":
        copy.save(out, "PNG", optimize=True)  # no pnginfo, no exif, no icc: pixels only
    else:
        if copy.mode not in ("RGB", "L"):
            background = Image.new("RGB", copy.size, "white")
            rgba = copy.convert("RGBA")
            background.paste(rgba, mask=rgba.getchannel("A"))
            copy = background
        copy.save(out, "JPEG", quality=82, optimize=True, progressive=True)
    return out.getvalue()


def photo_copy(path: Path, mime: str) -> SafeCopy:
    """A photo re-encoded from its pixels, upright, without EXIF/GPS/XMP, and a thumbnail."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with Image.open(path) as image:
            image.load()
            removed, taken = _exif_removed(image)
            upright = ImageOps.exif_transpose(image)
            if upright.mode not in ("RGB", "RGBA", "L", "LA"):
                upright = upright.convert("RGBA" if "A" in upright.getbands() else "RGB")
            # a fresh image holding only the pixels: nothing of image.info comes along
            pixels = Image.frombytes(upright.mode, upright.size, upright.tobytes())
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as e:
        raise MediaError(_("The photo could not be read (%(error)s).") % {"error": e}) from e
    fmt, extension = ("PNG", "png") if mime == "image/png" else ("JPEG", "jpg")
    return SafeCopy(_encode(pixels, fmt, SHARED_MAX_PX), extension,
                    _encode(pixels, "JPEG", THUMBNAIL_PX), removed, taken,
                    pixels.width, pixels.height)


# -- PDFs --------------------------------------------------------------------------------


def strip_jpeg_segments(data: bytes) -> tuple[bytes, bool]:
    """A JPEG without its APP1–APP15 and comment segments (EXIF, XMP, maker notes), the
    image data byte for byte the same. Returns the bytes and whether anything was cut."""
    if not data.startswith(b"\xff\xd8"):
        return data, False
    out, i, cut = bytearray(b"\xff\xd8"), 2, False
    while i + 4 <= len(data) and data[i] == 0xFF:
        marker = data[i + 1]
        if marker == 0xDA:  # start of scan: the rest is image data
            break
        length = int.from_bytes(data[i + 2:i + 4], "big")
        segment = data[i:i + 2 + length]
        if 0xE1 <= marker <= 0xEF or marker == 0xFE:
            cut = True
        else:
            out += segment
        i += 2 + length
    out += data[i:]
    return bytes(out), cut


def pdf_copy(path: Path) -> SafeCopy:
    """A PDF rewritten without document information, XMP, embedded files or JavaScript,
    its JPEG images without EXIF."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import PdfReadError
    from pypdf.generic import NameObject

    try:
        reader = PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            raise MediaError(_("This PDF is protected by a password: send it without one."))
        removed = []
        if reader.metadata:
            removed.append("document information (author, software, dates)")
        if "/Metadata" in reader.trailer["/Root"]:
            removed.append("XMP metadata")
        writer = PdfWriter()
        for page in reader.pages:
            writer.add_page(page)
        for page in writer.pages:
            if "/Metadata" in page:
                del page[NameObject("/Metadata")]
            resources = page.get("/Resources")
            xobjects = resources.get_object().get("/XObject") if resources else None
            for ref in (xobjects.get_object().values() if xobjects else ()):
                obj = ref.get_object()
                if obj.get("/Subtype") == "/Image" and obj.get("/Filter") in (
                        "/DCTDecode", ["/DCTDecode"]):
                    stripped, cut = strip_jpeg_segments(obj._data)
                    if cut:
                        obj._data = stripped
                        removed.append("camera data in images")
        writer._info = None  # no /Info dictionary at all
        out = io.BytesIO()
        writer.write(out)
    except (PdfReadError, KeyError, ValueError, TypeError) as e:
        if isinstance(e, MediaError):
            raise
        raise MediaError(_("The PDF could not be read (%(error)s).") % {"error": e}) from e
    return SafeCopy(out.getvalue(), "pdf", None, sorted(set(removed)))


# -- video and audio ---------------------------------------------------------------------


def ffmpeg() -> str:
    """The ffmpeg shipped in the ``imageio-ffmpeg`` wheel."""
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


def container_metadata(path: Path) -> str:
    """The metadata ffmpeg reads in a video or audio file, as ``key=value`` lines."""
    result = subprocess.run(  # noqa: S603 (fixed program and arguments, no shell)
        [ffmpeg(), "-v", "error", "-i", str(path), "-f", "ffmetadata", "-"],
        capture_output=True, timeout=FFMPEG_TIMEOUT_S, check=False)
    return result.stdout.decode("utf-8", "replace")


def av_copy(path: Path, mime: str) -> SafeCopy:
    """The streams of a video or audio file in a new container with no metadata."""
    extension = ACCEPTED[mime][1]
    before = container_metadata(path)
    removed = sorted({"GPS position" if "location" in line.lower() else "recording metadata"
                      for line in before.splitlines()[1:]
                      if "=" in line and not line.startswith(";")
                      and line.split("=", 1)[0] not in _HARMLESS_CONTAINER_TAGS})
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / f"copy.{extension}"
        args = [ffmpeg(), "-v", "error", "-y", "-i", str(path), "-map", "0", "-c", "copy",
                "-map_metadata", "-1", "-map_chapters", "-1", "-fflags", "+bitexact"]
        if extension in ("mp4", "m4a"):
            args += ["-movflags", "+faststart"]
        try:
            result = subprocess.run(  # noqa: S603 (fixed program, no shell)
                [*args, str(out)], capture_output=True, timeout=FFMPEG_TIMEOUT_S,
                check=False)
        except subprocess.TimeoutExpired as e:
            raise MediaError(_("The recording took too long to copy.")) from e
        if result.returncode != 0 or not out.exists():
            raise MediaError(_("The recording could not be read (%(error)s).") % {
                "error": result.stderr.decode("utf-8", "replace").strip()[-200:]})
        return SafeCopy(out.read_bytes(), extension, None, removed)


def safe_copy(path: Path, kind: str, mime: str) -> SafeCopy:
    """The metadata-free copy of a file of ``kind`` (see :func:`detect`)."""
    if kind == "photo":
        return photo_copy(path, mime)
    if kind == "document":
        return pdf_copy(path)
    return av_copy(path, mime)


def has_exif(data: bytes) -> bool:
    """Whether image bytes carry EXIF (or XMP) metadata — for checks and tests."""
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        return bool(image.getexif()) or "exif" in image.info or "xmp" in image.info
