"""The evidence vault: keep a file's original with its SHA-256, show only clean copies.

:func:`add_file` streams an upload to a temporary file while hashing it, reads its type from
its first bytes, refuses what is too large or of a type it does not take (with a message
saying why), recognises a file the union has already uploaded (same SHA-256), makes the
metadata-free copies (:mod:`shopfloor.evidence.media`) and stores the original and the
copies — all or nothing. :func:`verify` recomputes an original's SHA-256 (chain of custody:
``shopfloor vault verify``).

>>> stored, new = add_file(union, factory, open("IMG_0042.jpg", "rb"), by=rep)  # doctest: +SKIP
>>> attach(stored, issue=issue, stage="before", by=rep)  # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from shopfloor.evidence import media
from shopfloor.evidence.storage import new_name, vault_storage
from shopfloor.models import EvidenceAttachment, EvidenceFile

_CHUNK = 1024 * 1024
#: What the user sees of the type limits.
ACCEPTED_HINT = "image/jpeg,image/png,image/webp,video/*,audio/*,application/pdf"


class VaultError(ValidationError):
    """An upload the vault refuses; nothing was stored."""


def max_bytes() -> int:
    return int(getattr(settings, "EVIDENCE_MAX_BYTES", 50 * 1024 * 1024))


def _spool(upload, limit: int) -> tuple[Path, str, int, bytes]:
    """Copy ``upload`` to a temporary file, hashing it; refuse past ``limit`` bytes."""
    digest, size, head = hashlib.sha256(), 0, b""
    tmp = tempfile.NamedTemporaryFile(delete=False, prefix="shopfloor-upload-")  # noqa: SIM115
    try:
        chunks = upload.chunks(_CHUNK) if hasattr(upload, "chunks") else iter(
            lambda: upload.read(_CHUNK), b"")
        for chunk in chunks:
            size += len(chunk)
            if size > limit:
                raise VaultError(
                    _("The file is larger than %(mb)s MB: send a shorter video or a smaller "
                      "photo.") % {"mb": limit // (1024 * 1024)}, code="too_large")
            if len(head) < 262:
                head += chunk[:262 - len(head)]
            digest.update(chunk)
            tmp.write(chunk)
        tmp.close()
    except BaseException:
        tmp.close()
        Path(tmp.name).unlink(missing_ok=True)
        raise
    if size == 0:
        Path(tmp.name).unlink(missing_ok=True)
        raise VaultError(_("The file is empty."), code="empty")
    return Path(tmp.name), digest.hexdigest(), size, head


@dataclass
class _Saved:
    names: list[str]

    def delete(self) -> None:
        storage = vault_storage()
        for name in self.names:
            storage.delete(name)


def add_file(organisation, facility, upload, *, by, caption: str = "",
             original_name: str = "", client_key=None, is_demo: bool = False
             ) -> tuple[EvidenceFile, bool]:
    """Store an uploaded file (a Django ``UploadedFile`` or any binary file object).
    Returns ``(file, created)``: ``created`` is false when the union already has a file
    with the same SHA-256 (that one is returned, nothing is stored twice). Raises
    :class:`VaultError` (too large, empty, unreadable, a type not taken)."""
    if client_key is not None:
        existing = EvidenceFile.objects.filter(client_key=client_key).first()
        if existing is not None:
            return existing, False
    path, sha256, size, head = _spool(upload, max_bytes())
    saved = _Saved([])
    try:
        existing = EvidenceFile.objects.filter(organisation=organisation, sha256=sha256).first()
        if existing is not None:
            return existing, False
        try:
            kind, mime = media.detect(head)
            copy = media.safe_copy(path, kind, mime)
        except media.MediaError as e:
            raise VaultError(str(e), code="unreadable") from e
        storage = vault_storage()
        extension = media.ACCEPTED[mime][1] if kind != "photo" else (
            {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}[mime])
        with path.open("rb") as original:
            saved.names.append(storage.save(new_name("originals", organisation.pk, extension),
                                            File(original)))
        saved.names.append(storage.save(new_name("shared", organisation.pk, copy.extension),
                                        ContentFile(copy.data)))
        if copy.thumbnail is not None:
            saved.names.append(storage.save(new_name("thumbnails", organisation.pk, "jpg"),
                                            ContentFile(copy.thumbnail)))
        taken = (timezone.make_aware(copy.taken_at) if copy.taken_at is not None else None)
        with transaction.atomic():
            stored = EvidenceFile.objects.create(
                organisation=organisation, facility=facility, created_by=by, kind=kind,
                content_type=mime, size=size, sha256=sha256, original=saved.names[0],
                original_name=Path(original_name or getattr(upload, "name", "") or "").name
                [:200], shared=saved.names[1],
                shared_sha256=hashlib.sha256(copy.data).hexdigest(),
                thumbnail=saved.names[2] if len(saved.names) > 2 else "",
                removed_metadata=copy.removed, taken_at=taken, caption=caption.strip()[:300],
                client_key=client_key, is_demo=is_demo)
        return stored, True
    except BaseException:
        saved.delete()
        raise
    finally:
        path.unlink(missing_ok=True)


def attach(file: EvidenceFile, *, by, issue=None, case=None, meeting=None,
           stage: str = EvidenceAttachment.Stage.OTHER) -> EvidenceAttachment:
    """Attach a vault file to one issue, case or meeting of the same union and factory."""
    targets = [t for t in (issue, case, meeting) if t is not None]
    if len(targets) != 1:
        raise ValidationError("attach a file to exactly one issue, case or meeting")
    target = targets[0]
    if (target.organisation_id != file.organisation_id
            or target.facility_id != file.facility_id):
        raise VaultError(_("This file belongs to another union or factory."), code="scope")
    attachment, _created = EvidenceAttachment.objects.get_or_create(
        file=file, issue=issue, case=case, meeting=meeting, stage=stage,
        defaults={"attached_by": by})
    return attachment


def read_variant(file: EvidenceFile, variant: str):
    """An open binary file of a variant: "thumbnail", "shared" or "original"."""
    field = {"thumbnail": file.thumbnail or file.shared, "shared": file.shared,
             "original": file.original}[variant]
    return vault_storage().open(field.name, "rb")


def sha256_of(name: str) -> str:
    digest = hashlib.sha256()
    with vault_storage().open(name, "rb") as stream:
        for chunk in iter(lambda: stream.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def verify(file: EvidenceFile) -> bool:
    """Whether the stored original still has the SHA-256 recorded at upload."""
    try:
        return sha256_of(file.original.name) == file.sha256
    except FileNotFoundError:
        return False


@receiver(post_delete, sender=EvidenceFile, dispatch_uid="shopfloor_vault_delete_files")
def _delete_stored_files(sender, instance: EvidenceFile, **kwargs) -> None:
    """Deleting a file's row deletes the original and every copy from storage (real
    deletion), once the transaction commits."""
    names = [f.name for f in (instance.original, instance.shared, instance.thumbnail)
             if f and f.name]

    def _delete():
        storage = vault_storage()
        for name in names:
            storage.delete(name)

    transaction.on_commit(_delete)
