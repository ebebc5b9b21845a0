"""Pulling submissions from a KoboToolbox or ODK Central server, when one is configured.

Both return the same file the server's export would give, which then goes through the
same importer as a downloaded file (:mod:`shopfloor.sources.kobo`, :mod:`.odk`): only new
submissions are added, identifying metadata is dropped.

* KoboToolbox: ``GET {KOBO_SERVER_URL}/api/v2/assets/{uid}/data/?format=json`` with
  ``Authorization: Token {KOBO_API_TOKEN}``, following ``next`` page by page (on the same
  server only).
* ODK Central: ``/v1/projects/{project}/forms/{form}/submissions.csv.zip`` through
  ``pyodk``, ODK's official client, signed in with ``ODK_CENTRAL_USERNAME`` /
  ``ODK_CENTRAL_PASSWORD``.

Servers must be HTTPS (plain HTTP only on this machine, for tests and local servers).
"""

from __future__ import annotations

import json
import tempfile
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings

from shopfloor.sources.errors import ImportFailed

#: Seconds to wait for a server's answer.
TIMEOUT = 60
#: Pages of KoboToolbox results followed at most (30,000 per page: far beyond any survey).
MAX_PAGES = 1000


def _check_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in (
            "localhost", "127.0.0.1", "::1")):
        return url
    raise ImportFailed(f"{url}: survey servers must be reached over HTTPS")


def pull_kobo(asset_uid: str, *, server: str | None = None, token: str | None = None) -> Path:
    """Every submission of a KoboToolbox form (asset), as one API JSON file."""
    server = _check_url((server or settings.KOBO_SERVER_URL).rstrip("/"))
    token = token if token is not None else settings.KOBO_API_TOKEN
    if not token:
        raise ImportFailed("no KoboToolbox token: set KOBO_API_TOKEN")
    url = f"{server}/api/v2/assets/{asset_uid}/data/?format=json"
    host = urlsplit(server).netloc
    results: list = []
    for _ in range(MAX_PAGES):
        headers = {"Authorization": f"Token {token}", "Accept": "application/json"}
        request = urllib.request.Request(url, headers=headers)  # noqa: S310 (checked scheme)
        try:
            # the scheme was checked by _check_url (HTTPS, or HTTP on this machine)
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
                page = json.load(response)
        except (OSError, ValueError) as exc:
            raise ImportFailed(f"KoboToolbox {url}: {exc}") from exc
        results += page.get("results", [])
        url = page.get("next")
        if not url:
            break
        if urlsplit(url).netloc != host:
            raise ImportFailed(f"KoboToolbox sent a next page on another server: {url}")
    out = Path(tempfile.mkdtemp(prefix="shopfloor-kobo-")) / f"kobo-{asset_uid}.json"
    out.write_text(json.dumps({"count": len(results), "results": results}, ensure_ascii=False))
    return out


def pull_odk(form_id: str, *, project: int, base_url: str | None = None,
             username: str | None = None, password: str | None = None) -> Path:
    """Every submission of an ODK Central form, as its submissions.csv.zip."""
    from pyodk._utils.config import CentralConfig, Config
    from pyodk.client import Client
    from pyodk.errors import PyODKError

    base_url = _check_url((base_url or settings.ODK_CENTRAL_URL).rstrip("/"))
    username = username or settings.ODK_CENTRAL_USERNAME
    password = password or settings.ODK_CENTRAL_PASSWORD
    if not (username and password):
        raise ImportFailed("ODK Central is not configured: set ODK_CENTRAL_URL, "
                           "ODK_CENTRAL_USERNAME and ODK_CENTRAL_PASSWORD")
    folder = Path(tempfile.mkdtemp(prefix="shopfloor-odk-"))
    config = Config(central=CentralConfig(base_url=base_url, username=username,
                                          password=password, default_project_id=project))
    try:
        with Client(config=config, cache_path=folder / "token.toml") as client:
            response = client.session.get(
                f"projects/{project}/forms/{form_id}/submissions.csv.zip")
            response.raise_for_status()
            data = response.content
    except (PyODKError, OSError) as exc:
        raise ImportFailed(f"ODK Central {base_url}: {exc}") from exc
    (folder / "token.toml").unlink(missing_ok=True)
    out = folder / f"{form_id}-submissions.csv.zip"
    out.write_bytes(data)
    return out
