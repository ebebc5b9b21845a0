"""Where evidence files live: a private directory under ``MEDIA_ROOT``, never given a URL.

Files are read only through :func:`shopfloor.web.vault.evidence_file`, which checks the
reader's permission first. The storage refuses to make URLs, so no template can link a file
past that check by mistake.
"""

from __future__ import annotations

import uuid
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class VaultStorage(FileSystemStorage):
    """A file-system storage without URLs; files 0640, directories 0750."""

    def url(self, name):
        raise NotImplementedError("evidence files have no URL: serve them through the "
                                  "permission-checked view")


@lru_cache
def _vault_storage(location: str) -> VaultStorage:
    return VaultStorage(location=location, file_permissions_mode=0o640,
                        directory_permissions_mode=0o750)


def vault_storage() -> VaultStorage:
    """The vault's storage under ``settings.MEDIA_ROOT / "vault"``."""
    return _vault_storage(str(Path(settings.MEDIA_ROOT) / "vault"))


def new_name(folder: str, organisation_id: int, extension: str) -> str:
    """A random file name (nothing of the phone's own name or the worker's)."""
    return f"{folder}/{organisation_id}/{uuid.uuid4().hex}.{extension}"
