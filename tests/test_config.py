"""Settings are typed, read from the environment, and refuse unsafe defaults."""

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
