"""Settings are typed, read from the environment, and refuse unsafe defaults."""

from pathlib import Path

import pytest

from shopfloor.config import DEVELOPMENT_SECRET_KEY, Settings, UnsafeSettingsError


def _settings(monkeypatch, **env) -> Settings:
    for name in ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return Settings(_env_file=None)


def test_default_secret_is_refused_outside_debug(monkeypatch):
    with pytest.raises(UnsafeSettingsError, match="SECRET_KEY"):
        _settings(monkeypatch)


def test_short_secret_is_refused_outside_debug(monkeypatch):
    with pytest.raises(UnsafeSettingsError):
        _settings(monkeypatch, SECRET_KEY="short")


def test_debug_accepts_the_development_defaults(monkeypatch):
    s = _settings(monkeypatch, DEBUG="true")
    assert s.DEBUG is True
    assert s.SECRET_KEY == DEVELOPMENT_SECRET_KEY
    assert s.DATABASE_URL.startswith("sqlite:///")


def test_values_come_typed_from_the_environment(monkeypatch):
    s = _settings(monkeypatch, SECRET_KEY="k" * 50, ALLOWED_HOSTS='["shopfloor.example"]',
                  DATABASE_URL="postgres://postgres@127.0.0.1:5432/test")
    assert s.DEBUG is False
    assert s.ALLOWED_HOSTS == ["shopfloor.example"]
    assert s.DATABASE_URL.startswith("postgres://")


def test_wildcard_hosts_refused_outside_debug(monkeypatch):
    with pytest.raises(UnsafeSettingsError, match="ALLOWED_HOSTS"):
        _settings(monkeypatch, SECRET_KEY="k" * 50, ALLOWED_HOSTS='["*"]')


def test_the_process_refuses_to_start(tmp_path):
    """The real command exits with the reason when run without a secret outside DEBUG."""
    import subprocess
    import sys

    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    run = subprocess.run([sys.executable, "-m", "shopfloor", "stats"], env=env, cwd=tmp_path,
                         capture_output=True, text=True, timeout=60)
    assert run.returncode != 0
    assert "SECRET_KEY" in run.stderr


# -- security settings -------------------------------------------------------------------

_SAFE = {"SECRET_KEY": "k" * 50, "ALLOWED_HOSTS": '["shopfloor.example"]'}


def _django_settings(monkeypatch, tmp_path, **env) -> dict:
    """The Django settings module as built from ``env`` (a fresh run of shopfloor.settings)."""
    import runpy

    from shopfloor.config import get_settings

    for name in ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "SECURE_SSL_REDIRECT",
                 "TRUST_X_FORWARDED_PROTO", "SECURE_HSTS_SECONDS", "REQUIRE_2FA_ROLES"):
        monkeypatch.delenv(name, raising=False)
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
           "STATIC_ROOT": str(tmp_path / "static"), **env}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    try:
        return runpy.run_path(str(Path(__file__).parent.parent / "shopfloor" / "settings.py"))
    finally:
        get_settings.cache_clear()


def test_outside_debug_cookies_are_secure_and_https_is_enforced(monkeypatch, tmp_path):
    s = _django_settings(monkeypatch, tmp_path, DEBUG="false", **_SAFE)
    assert s["SESSION_COOKIE_SECURE"] and s["CSRF_COOKIE_SECURE"]
    assert s["SESSION_COOKIE_HTTPONLY"] and s["CSRF_COOKIE_HTTPONLY"]
    assert s["SESSION_COOKIE_SAMESITE"] in ("Lax", "Strict")
    assert s["SECURE_SSL_REDIRECT"] is True
    assert s["SECURE_HSTS_SECONDS"] >= 31536000 and s["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    assert s["X_FRAME_OPTIONS"] == "DENY" and s["SECURE_REFERRER_POLICY"] == "same-origin"
    assert "SECURE_PROXY_SSL_HEADER" not in s  # only when the proxy is trusted
    assert s["PASSWORD_HASHERS"][0].endswith("Argon2PasswordHasher")
    assert s["AUTHENTICATION_BACKENDS"][0] == "axes.backends.AxesStandaloneBackend"
    assert s["AXES_FAILURE_LIMIT"] == 5 and s["AXES_COOLOFF_TIME"].total_seconds() == 1800
    assert s["REQUIRE_2FA_ROLES"] == ("admin", "researcher")
    directives = s["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]
    assert all("'unsafe-inline'" not in v for v in directives.values())


def test_behind_a_tls_proxy(monkeypatch, tmp_path):
    s = _django_settings(monkeypatch, tmp_path, DEBUG="false", SECURE_SSL_REDIRECT="false",
                         TRUST_X_FORWARDED_PROTO="true", SESSION_IDLE_MINUTES="30",
                         SESSION_MAX_HOURS="8", **_SAFE)
    assert s["SECURE_SSL_REDIRECT"] is False
    assert s["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    assert s["SESSION_IDLE_MINUTES"] == 30 and s["SESSION_COOKIE_AGE"] == 8 * 3600


def test_debug_does_not_force_https(monkeypatch, tmp_path):
    s = _django_settings(monkeypatch, tmp_path, DEBUG="true")
    assert "SESSION_COOKIE_SECURE" not in s and "SECURE_SSL_REDIRECT" not in s


def test_security_settings_typed_with_defaults(monkeypatch):
    s = _settings(monkeypatch, **_SAFE)
    assert (s.LOGIN_FAILURE_LIMIT, s.LOGIN_LOCKOUT_MINUTES) == (5, 30)
    assert s.REQUIRE_2FA_ROLES == ["admin", "researcher"]
    assert s.AUDIT_RETENTION_DAYS == 730 and s.API_RATE_LIMIT == "120/m"
    s = _settings(monkeypatch, REQUIRE_2FA_ROLES='["admin", "researcher", "union_rep"]',
                  LOGIN_FAILURE_LIMIT="3", API_RATE_LIMIT="1000/h", **_SAFE)
    assert s.REQUIRE_2FA_ROLES == ["admin", "researcher", "union_rep"]
    assert s.LOGIN_FAILURE_LIMIT == 3 and s.API_RATE_LIMIT == "1000/h"


@pytest.mark.parametrize(("env", "message"), [
    ({"SECURE_HSTS_SECONDS": "0"}, "SECURE_HSTS_SECONDS"),
    ({"REQUIRE_2FA_ROLES": '["researcher"]'}, "REQUIRE_2FA_ROLES"),
])
def test_unsafe_security_settings_refused_outside_debug(monkeypatch, env, message):
    with pytest.raises(UnsafeSettingsError, match=message):
        _settings(monkeypatch, **_SAFE, **env)
    assert _settings(monkeypatch, DEBUG="true", **env).DEBUG


@pytest.mark.parametrize("env", [
    {"LOGIN_RATE_LIMIT": "lots"},
    {"API_RATE_LIMIT": "10/week"},
    {"REQUIRE_2FA_ROLES": '["boss"]'},
    {"LOGIN_FAILURE_LIMIT": "0"},
    {"SESSION_IDLE_MINUTES": "600", "SESSION_MAX_HOURS": "2"},
    {"UPLOAD_MAX_MB": "5000"},
])
def test_nonsense_security_settings_refused(monkeypatch, env):
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        _settings(monkeypatch, DEBUG="true", **env)
