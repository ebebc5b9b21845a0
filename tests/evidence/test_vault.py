"""The vault keeps originals with their SHA-256 and makes copies without metadata."""

import hashlib
import io
from datetime import date

import pytest

from shopfloor.evidence import media, vault
from shopfloor.evidence.storage import vault_storage
from shopfloor.evidence.workflow import create_issue
from shopfloor.models import EvidenceFile
from tests.evidence.files import jpeg_with_gps, pdf_with_metadata, video_with_location

pytestmark = pytest.mark.usefixtures("vault_root")


def _upload(ws, data: bytes, name="IMG_20250301_091500.jpg", **kw):
    upload = io.BytesIO(data)
    upload.name = name
    return vault.add_file(ws.union, ws.a, upload, by=ws.rep, **kw)


def _read(file: EvidenceFile, variant: str) -> bytes:
    with vault.read_variant(file, variant) as stream:
        return stream.read()


def test_a_photo_keeps_its_original_and_loses_gps_in_every_copy(ws):
    data = jpeg_with_gps(1200, 900, orientation=6)
    stored, created = _upload(ws, data, caption="Line 4 at 2 pm")
    assert created and stored.kind == "photo" and stored.content_type == "image/jpeg"
    assert stored.sha256 == hashlib.sha256(data).hexdigest() and stored.size == len(data)
    original = _read(stored, "original")
    assert original == data and media.has_exif(original)
    for variant in ("shared", "thumbnail"):
        copy = _read(stored, variant)
        assert not media.has_exif(copy), variant
        assert b"Samsung" not in copy and b"Srey Mom" not in copy
    assert stored.shared_sha256 == hashlib.sha256(_read(stored, "shared")).hexdigest()
    assert "GPS position" in stored.removed_metadata
    assert "camera make and model" in stored.removed_metadata
    assert stored.taken_at.date() == date(2025, 3, 1)
    assert stored.original_name == "IMG_20250301_091500.jpg"
    # names on disk say nothing of the phone's name
    assert "IMG_" not in stored.original.name and stored.original.name.startswith("originals/")
    assert vault.verify(stored)


def test_a_photo_is_turned_upright_before_its_orientation_tag_goes(ws):
    from PIL import Image

    stored, _ = _upload(ws, jpeg_with_gps(1200, 900, orientation=6))  # rotated 90° on screen
    with Image.open(io.BytesIO(_read(stored, "shared"))) as copy:
        assert copy.size == (900, 1200)
    with Image.open(io.BytesIO(_read(stored, "thumbnail"))) as thumb:
        assert max(thumb.size) == media.THUMBNAIL_PX


def test_the_same_file_twice_is_kept_once(ws):
    data = jpeg_with_gps()
    first, created = _upload(ws, data)
    again, created_again = _upload(ws, data, name="copy.jpg")
    assert created and not created_again and again.pk == first.pk
    assert EvidenceFile.objects.count() == 1
    files = list(vault_storage().listdir("originals/" + str(ws.union.pk))[1])
    assert len(files) == 1


def test_another_union_keeps_its_own_copy(ws):
    data = jpeg_with_gps()
    _upload(ws, data)
    upload = io.BytesIO(data)
    theirs, created = vault.add_file(ws.rival, ws.a, upload, by=ws.rival_rep)
    assert created and theirs.organisation == ws.rival


def test_a_pdf_loses_its_author_and_its_images_lose_exif(ws):
    stored, _ = _upload(ws, pdf_with_metadata(), name="letter.pdf")
    assert stored.kind == "document"
    copy = _read(stored, "shared")
    assert b"Srey Mom" not in copy and b"CamScanner" not in copy and b"Samsung" not in copy
    assert not stored.thumbnail
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(copy))
    assert len(reader.pages) == 1 and not reader.metadata


def test_a_video_loses_its_location(ws, tmp_path):
    path = video_with_location(tmp_path / "VID_0001.mp4")
    assert "location=" in media.container_metadata(path)
    stored, _ = _upload(ws, path.read_bytes(), name="VID_0001.mp4")
    assert stored.kind == "video" and "GPS position" in stored.removed_metadata
    copy = tmp_path / "copy.mp4"
    copy.write_bytes(_read(stored, "shared"))
    tags = media.container_metadata(copy)
    assert "location" not in tags and "Srey" not in tags
    assert copy.stat().st_size > 1000  # the pictures are still there


@pytest.mark.parametrize("data, message", [
    (b"", "empty"),
    (b"MZ\x90\x00" + b"\x00" * 300, "cannot be kept"),  # a Windows program
    (b"%PDF-1.4 truncated", "could not be read"),
    (b"\xff\xd8\xff\xe0" + b"\x00" * 500, "could not be read"),  # a broken JPEG
])
def test_refused_files_leave_nothing_behind(ws, vault_root, data, message):
    with pytest.raises(vault.VaultError, match=message):
        _upload(ws, data)
    assert not EvidenceFile.objects.exists()
    assert not [p for p in vault_root.rglob("*") if p.is_file()]


def test_too_large_is_refused_before_it_is_read_whole(ws, settings):
    settings.EVIDENCE_MAX_BYTES = 1024 * 1024
    with pytest.raises(vault.VaultError, match="larger than 1 MB"):
        _upload(ws, b"\xff\xd8" + b"\x00" * (2 * 1024 * 1024))
    assert not EvidenceFile.objects.exists()


def test_attach_within_one_union_and_factory(ws):
    stored, _ = _upload(ws, jpeg_with_gps())
    issue = create_issue(ws.union, ws.a, by=ws.rep, found_on=date(2025, 1, 1), title="x",
                         topic="safety")
    attachment = vault.attach(stored, issue=issue, stage="before", by=ws.rep)
    assert vault.attach(stored, issue=issue, stage="before", by=ws.rep) == attachment
    elsewhere = create_issue(ws.union, ws.b, by=ws.rep, found_on=date(2025, 1, 1), title="y",
                             topic="safety")
    with pytest.raises(vault.VaultError):
        vault.attach(stored, issue=elsewhere, by=ws.rep)


def test_verify_notices_a_changed_original(ws):
    stored, _ = _upload(ws, jpeg_with_gps())
    path = vault_storage().path(stored.original.name)
    with open(path, "ab") as f:
        f.write(b"tampered")
    assert not vault.verify(stored)


@pytest.mark.django_db(transaction=True)
def test_deleting_a_file_deletes_it_from_storage(ws):
    stored, _ = _upload(ws, jpeg_with_gps())
    names = [stored.original.name, stored.shared.name, stored.thumbnail.name]
    assert all(vault_storage().exists(n) for n in names)
    stored.delete()
    assert not any(vault_storage().exists(n) for n in names)


def test_the_verify_command_finds_a_changed_original(ws):
    from click.testing import CliRunner

    from shopfloor.cli import cli

    stored, _ = _upload(ws, jpeg_with_gps())
    other, _ = _upload(ws, jpeg_with_gps(colour=(1, 2, 3)))
    result = CliRunner().invoke(cli, ["vault", "verify"])
    assert result.exit_code == 0 and "2 of 2 originals match" in result.output
    with open(vault_storage().path(other.original.name), "r+b") as f:
        f.write(b"\x00\x00")
    result = CliRunner().invoke(cli, ["vault", "verify"])
    assert result.exit_code == 1 and f"file {other.pk}" in result.output
    assert "1 of 2 originals match" in result.output
