"""The API's documentation page works under the site's Content-Security-Policy: no inline
script, nothing from another host."""

from __future__ import annotations

import re


def test_api_docs_load_only_local_scripts_and_styles(client, db):
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, re.S)
    assert scripts, "the Swagger UI needs its scripts"
    for attributes, body in scripts:
        if 'type="application/json"' in attributes:  # data for the UI, never executed
            continue
        assert not body.strip(), f"inline script: {body[:80]!r}"
        src = re.search(r'src="([^"]+)"', attributes).group(1)
        assert src.startswith("/static/"), src
    for href in re.findall(r'<link[^>]+href="([^"]+)"', html):
        assert href.startswith("/"), href
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    for src in re.findall(r'src="(/static/[^"]+)"', html):
        assert client.get(src).status_code == 200, src
