"""Evidence files as phones make them: a JPEG with GPS in its EXIF, a PDF with an author,
a video with a location tag. Built here (the originals a union would upload)."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

#: Where the test photos say they were taken (Phnom Penh), in EXIF's degrees/minutes/seconds.
GPS = {1: "N", 2: (11.0, 33.0, 12.5), 3: "E", 4: (104.0, 55.0, 1.0), 5: 0, 6: 12.0}
CAMERA = ("Samsung", "SM-A105F")
LOCATION = "+11.5535+104.9170/"


def jpeg_with_gps(width: int = 800, height: int = 600, colour=(200, 40, 40),
                  orientation: int | None = None, text: str = "") -> bytes:
    """A JPEG whose EXIF has a GPS position, the phone's make and model, a date, an owner."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (width, height), colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle([10, 10, width // 3, height // 3], fill=(255, 255, 255))
    if text:
        draw.text((20, 20), text, fill=(0, 0, 0))
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = CAMERA
    exif[0x0132] = "2025:03:01 09:15:00"
    exif[0x013B] = "Srey Mom"
    if orientation:
        exif[0x0112] = orientation
    exif.get_ifd(0x8769)[0x9003] = "2025:03:01 09:15:00"
    exif.get_ifd(0x8825).update(GPS)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes(), quality=90)
    return out.getvalue()


def pdf_with_metadata() -> bytes:
    """A one-page PDF with an author and producer, and a JPEG with GPS EXIF on the page."""
    from PIL import Image

    photo = Image.open(io.BytesIO(jpeg_with_gps(200, 150)))
    out = io.BytesIO()
    photo.save(out, "PDF", resolution=72, author="Srey Mom", title="Payslip March",
               subject="Dismissal letter", creator="CamScanner")
    data = out.getvalue()
    # Pillow re-encodes the image it puts in a PDF; splice the original JPEG (with EXIF) in
    # its place so the PDF really carries camera data inside
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject

    reader = PdfReader(io.BytesIO(data))
    writer = PdfWriter(clone_from=reader)
    writer.add_metadata({"/Author": "Srey Mom", "/Producer": "CamScanner"})
    for page in writer.pages:
        for ref in page["/Resources"]["/XObject"].values():
            obj = ref.get_object()
            obj._data = jpeg_with_gps(200, 150)
            obj[NameObject("/Filter")] = NameObject("/DCTDecode")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def video_with_location(path: Path) -> Path:
    """A one-second MP4 with a location and a device tag, as Android cameras write them."""
    from shopfloor.evidence.media import ffmpeg

    subprocess.run([ffmpeg(), "-v", "error", "-y", "-f", "lavfi", "-i",
                    "testsrc=size=160x120:rate=10", "-t", "1", "-pix_fmt", "yuv420p",
                    "-metadata", f"location={LOCATION}", "-metadata",
                    "com.android.manufacturer=Samsung", "-metadata", "title=Srey Mom",
                    str(path)], check=True, capture_output=True, timeout=60)
    return path
