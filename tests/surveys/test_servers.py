"""Pulling from KoboToolbox and ODK Central: a local stand-in of each server's documented
endpoints over real HTTP (the servers are outside this machine)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from click.testing import CliRunner

from shopfloor.cli import cli
from shopfloor.models import Facility, Submission
from shopfloor.sources import ImportFailed, SourceInfo, run_import
from shopfloor.surveys import servers
from tests.surveys import fixtures as fx

OS_ID = "KH2019001AAAAA0"
TOKEN = "kobo-secret-token"  # noqa: S105


class _Server(BaseHTTPRequestHandler):
    pages: dict = {}
    zip_bytes = b""
    seen: list = []

    def log_message(self, *args):  # quiet
        pass

    def _send(self, status, body: bytes, kind="application/json"):
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):  # noqa: N802
        self.seen.append((self.path, self.headers.get("Authorization")))
        if self.path.startswith("/api/v2/assets/"):
            if self.headers.get("Authorization") != f"Token {TOKEN}":
                return self._send(401, b'{"detail": "Invalid token."}')
            return self._send(200, json.dumps(self.pages[self.path]).encode())
        if self.path == "/v1/users/current":
            ok = self.headers.get("Authorization") == "Bearer odk-session"
            return self._send(200 if ok else 401, b'{"id": 1}')
        if self.path.endswith("/submissions.csv.zip"):
            if self.headers.get("Authorization") != "Bearer odk-session":
                return self._send(401, b"{}")
            return self._send(200, self.zip_bytes, "application/zip")
        return self._send(404, b"{}")

    def do_POST(self):  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.seen.append((self.path, body.get("email")))
        if self.path == "/v1/sessions" and body == {"email": "r@union.org", "password": "pw"}:
            return self._send(200, b'{"token": "odk-session"}')
        return self._send(401, b"{}")


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Server)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    _Server.seen = []
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()


@pytest.fixture
def form(ws, tmp_path):
    Facility.objects.filter(pk=ws.a.pk).update(os_id=OS_ID)
    run_import("xlsform", fx.xlsform(tmp_path / "f.xlsx", factories=[(OS_ID, "A")]),
               info=SourceInfo(organisation=ws.union))


def _rows(n, start=1):
    return [fx.submission(i, {"factory": OS_ID, "sex": "female", "wages/paid_minimum": "yes"})
            for i in range(start, start + n)]


def test_kobo_pages_are_followed_and_imported(ws, form, server, tmp_path, settings):
    rows = _rows(7)
    base = "/api/v2/assets/aB3x/data/?format=json"
    _Server.pages = {base: {"count": 7, "next": f"{server}{base}&start=4",
                            "results": rows[:4]},
                     f"{base}&start=4": {"count": 7, "next": None, "results": rows[4:]}}
    settings.KOBO_SERVER_URL, settings.KOBO_API_TOKEN = server, TOKEN
    result = CliRunner().invoke(cli, ["survey", "pull-kobo", "aB3x", "--form", "test_survey",
                                      "--organisation", "Union A"])
    assert result.exit_code == 0, result.output
    assert "7 created" in result.output and "deviceid" in result.output
    assert Submission.objects.count() == 7
    assert [p for p, _ in _Server.seen] == [base, f"{base}&start=4"]
    again = CliRunner().invoke(cli, ["survey", "pull-kobo", "aB3x", "--form", "test_survey",
                                     "--organisation", "Union A"])
    assert "already imported" in again.output and Submission.objects.count() == 7


def test_kobo_refuses_a_bad_token_and_plain_http_elsewhere(server, settings):
    _Server.pages = {}
    with pytest.raises(ImportFailed, match="401"):
        servers.pull_kobo("aB3x", server=server, token="wrong")
    with pytest.raises(ImportFailed, match="HTTPS"):
        servers.pull_kobo("aB3x", server="http://kobo.example.org", token=TOKEN)


def test_odk_central_through_pyodk(ws, form, server, tmp_path):
    _Server.zip_bytes = fx.odk_zip(_rows(5), tmp_path / "s.zip").read_bytes()
    path = servers.pull_odk("test_survey", project=3, base_url=server,
                            username="r@union.org", password="pw")
    report = run_import("odk", path, info=SourceInfo(organisation=ws.union), form="test_survey")
    assert report.created == 5
    assert ("/v1/sessions", "r@union.org") in _Server.seen
    assert any(p == "/v1/projects/3/forms/test_survey/submissions.csv.zip"
               for p, _ in _Server.seen)
    with pytest.raises(ImportFailed):
        servers.pull_odk("test_survey", project=3, base_url=server, username="r@union.org",
                         password="wrong")
