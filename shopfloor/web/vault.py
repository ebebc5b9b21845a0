"""Evidence files, served only through this permission-checked view.

``/evidence/<id>/thumbnail`` and ``/shared`` are the metadata-free copies, for whoever reads
the record; ``/original`` is the untouched upload (with its EXIF/GPS), for the owning union's
admins and researchers only (:func:`shopfloor.access.can_read_original`). Copies and
originals are recorded in the audit log (thumbnails, shown inside pages already recorded,
are not). Responses are private and never cached by shared caches.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.utils.cache import patch_cache_control

from shopfloor import audit
from shopfloor.access import can_read_original
from shopfloor.evidence import vault
from shopfloor.models import EvidenceFile
from shopfloor.web.review import login_required
from shopfloor.web.workspace import record_or_404

VARIANTS = ("thumbnail", "shared", "original")
#: The type of a copy, by the extension :mod:`shopfloor.evidence.media` gave it.
_COPY_TYPES = {"jpg": "image/jpeg", "png": "image/png", "mp4": "video/mp4",
               "m4a": "audio/mp4", "3gp": "video/3gpp", "webm": "video/webm",
               "mp3": "audio/mpeg", "ogg": "audio/ogg", "amr": "audio/amr", "wav": "audio/wav",
               "pdf": "application/pdf"}


@login_required
def evidence_file(request, pk: int, variant: str):
    """One file of the vault, if the reader may read it (else 404; an original without the
    right to it: 403)."""
    if variant not in VARIANTS:
        raise Http404
    stored = record_or_404(request, EvidenceFile, pk)
    if variant == "original" and not can_read_original(request.user, stored):
        raise PermissionDenied
    if variant != "thumbnail":
        audit.record("evidence.original" if variant == "original" else "evidence.file",
                     request=request, obj=stored, organisation=stored.organisation_id,
                     sha256=stored.sha256 if variant == "original" else stored.shared_sha256)
    try:
        stream = vault.read_variant(stored, variant)
    except FileNotFoundError as e:
        raise Http404 from e
    if variant == "original":
        content_type = stored.content_type
    else:
        extension = stream.name.rsplit(".", 1)[-1].lower()
        content_type = _COPY_TYPES.get(extension, "application/octet-stream")
    response = FileResponse(stream, content_type=content_type,
                            as_attachment=variant == "original",
                            filename=f"evidence-{stored.pk}-{variant}")
    patch_cache_control(response, private=True, max_age=3600 if variant != "original" else 0,
                        no_store=variant == "original")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
