"""Every setting Shopfloor reads from the environment, declared once and typed.

Values come from environment variables of the same name (``DATABASE_URL``, ``DEBUG``, ...)
or from a ``.env`` file in the working directory. Outside development (``DEBUG`` false)
unsafe defaults are refused: the process does not start with the built-in secret key, with
HSTS shorter than a day or with organisation admins exempt from two-factor sign-in. See
docs/security.md ("Running it safely") for what each security setting does.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

BASE_DIR = Path(__file__).resolve().parent.parent

#: Membership roles (see ``shopfloor.models.Membership.Role``); REQUIRE_2FA_ROLES names some.
ROLES = ("admin", "researcher", "union_rep", "brand_viewer", "member")
#: A rate such as ``120/m``: a number of requests per second, minute, hour or day.
RATE_PATTERN = re.compile(r"^(\d+)/([smhd])$")

#: The key used when none is configured. Good enough for a laptop demo, refused elsewhere.
DEVELOPMENT_SECRET_KEY = "shopfloor-development-only-insecure-key"  # noqa: S105


class UnsafeSettingsError(RuntimeError):
    """Raised when a setting keeps an unsafe default outside development."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    DEBUG: bool = Field(
        False,
        description="Development mode: detailed error pages, the built-in secret key is "
        "accepted. Never true on a server that holds real evidence.",
    )
    SECRET_KEY: str = Field(
        DEVELOPMENT_SECRET_KEY,
        description="Signs sessions and CSRF tokens. Required (≥ 32 characters) unless DEBUG.",
    )
    DATABASE_URL: str = Field(
        f"sqlite:///{BASE_DIR / 'var' / 'shopfloor.sqlite3'}",
        description="Where the data lives: sqlite:///path (default, embedded) or "
        "postgres://user:password@host:port/name for deployments.",
    )
    ALLOWED_HOSTS: list[str] = Field(
        ["127.0.0.1", "localhost"],
        description='Host names this server answers to, as a JSON list: ["shopfloor.example"].',
    )
    MEDIA_ROOT: Path = Field(
        BASE_DIR / "var" / "media",
        description="Directory for uploaded evidence files. Never served directly.",
    )
    STATIC_ROOT: Path = Field(
        BASE_DIR / "var" / "static",
        description="Where `shopfloor manage collectstatic` puts CSS/JS for deployment.",
    )
    CACHE_URL: str = Field(
        "locmem://",
        description="Where computed pages parts are cached (peer counts, charts, rate-limit "
        "counters): `locmem://` (each process its own), `file:///var/cache/shopfloor` "
        "(shared by all workers of one machine) or `redis://host:6379/0` (shared by all "
        "machines; needs `pip install redis`).",
        pattern=r"^(locmem://.*|file://.+|rediss?://.+)$",
    )
    IMPORT_MAX_MB: int = Field(
        2048, ge=1,
        description="Largest file `shopfloor import` accepts, in megabytes (the web upload "
        "limit is separate and smaller).",
    )
    MATCH_AUTO_THRESHOLD: float = Field(
        0.8, gt=0, le=1,
        description="A candidate scored at or above this probability is linked automatically.",
    )
    MATCH_REVIEW_THRESHOLD: float = Field(
        0.5, gt=0, le=1,
        description="Candidates between this and the automatic threshold go to human review; "
        "below it the record becomes a new facility (or stays unmatched for a union list).",
    )
    TIME_ZONE: str = Field("Asia/Phnom_Penh", description="Time zone for dates shown.")
    LANGUAGE_CODE: str = Field("en", description="Default language: en or km.")

    # -- uploads ---------------------------------------------------------------------------
    UPLOAD_MAX_MB: int = Field(
        50, ge=1,
        description="Largest request (an evidence file or a list uploaded through the web or "
        "the API), in megabytes; larger requests are refused with 413 before they are read. "
        "Set the TLS proxy's body limit (nginx client_max_body_size) to the same value.",
    )

    EVIDENCE_MAX_MB: int = Field(
        50, ge=1,
        description="Largest evidence file (photo, video, audio, PDF) a union can upload, in "
        "megabytes. At most UPLOAD_MAX_MB.",
    )

    # -- the union workspace ---------------------------------------------------------------
    HEAT_INDEX_ALERT_C: float = Field(
        32.2, ge=20, le=60,
        description="Heat index (°C, how hot it feels) from which a workstation reading is "
        "flagged. Default 32.2 °C (90 °F): the US National Weather Service's 'extreme "
        "caution' level, where heat cramps and exhaustion are possible with work.",
    )

    # -- survey servers (optional) ---------------------------------------------------------
    KOBO_SERVER_URL: str = Field(
        "https://kf.kobotoolbox.org",
        description="The KoboToolbox server `shopfloor survey pull kobo` reads (HTTPS; "
        "https://eu.kobotoolbox.org for the EU server).",
    )
    KOBO_API_TOKEN: str = Field(
        "", description="A KoboToolbox API token (account settings → API key). Keep it out "
        "of the repository: environment or .env only.",
    )
    ODK_CENTRAL_URL: str = Field(
        "", description="The ODK Central server `shopfloor survey pull odk` reads, e.g. "
        "https://central.example.org (empty: not configured).",
    )
    ODK_CENTRAL_USERNAME: str = Field("", description="An ODK Central web user's e-mail.")
    ODK_CENTRAL_PASSWORD: str = Field("", description="That user's password (environment "
                                      "or .env only).")

    # -- authentication --------------------------------------------------------------------
    LOGIN_FAILURE_LIMIT: int = Field(
        5, ge=1, le=20,
        description="Failed sign-ins (same username from the same address) before signing in "
        "with that username from that address is paused.",
    )
    LOGIN_LOCKOUT_MINUTES: int = Field(
        30, ge=1, le=24 * 60,
        description="How long signing in stays paused after LOGIN_FAILURE_LIMIT failures.",
    )
    LOGIN_RATE_LIMIT: str = Field(
        "20/m",
        description="Sign-in attempts accepted from one address (any username), as "
        "number/period with period s, m, h or d: 20/m is twenty a minute.",
    )
    API_RATE_LIMIT: str = Field(
        "120/m",
        description="API requests accepted per token (or per address when anonymous), as "
        "number/period like LOGIN_RATE_LIMIT.",
    )
    REQUIRE_2FA_ROLES: list[str] = Field(
        ["admin", "researcher"],
        description='Membership roles that must use a second factor (an authenticator app '
        'code), as a JSON list: ["admin", "researcher"]. Staff and superusers always must. '
        "Outside DEBUG the list must contain admin.",
    )
    SESSION_IDLE_MINUTES: int = Field(
        120, ge=5, le=24 * 60,
        description="A signed-in session ends after this many minutes without a request.",
    )
    SESSION_MAX_HOURS: int = Field(
        12, ge=1, le=30 * 24,
        description="A session ends this many hours after signing in, however active.",
    )
    AUDIT_RETENTION_DAYS: int = Field(
        730, ge=1,
        description="Audit-log events older than this many days are deleted by the purge.",
    )
    SESSION_RECORD_RETENTION_DAYS: int = Field(
        90, ge=1,
        description="Records of ended sign-in sessions (address, browser) are kept this many "
        "days.",
    )

    # -- HTTPS and the proxy in front ------------------------------------------------------
    SECURE_SSL_REDIRECT: bool = Field(
        True,
        description="Outside DEBUG, redirect plain-HTTP requests to HTTPS. Turn off only when "
        "the TLS proxy in front already redirects (and set TRUST_X_FORWARDED_PROTO).",
    )
    SECURE_HSTS_SECONDS: int = Field(
        31536000, ge=0,
        description="Outside DEBUG, how long browsers must use only HTTPS for this host and "
        "its subdomains (Strict-Transport-Security). At least a day outside DEBUG.",
    )
    SECURE_HSTS_PRELOAD: bool = Field(
        False, description="Add `preload` to Strict-Transport-Security (see hstspreload.org)."
    )
    TRUST_X_FORWARDED_PROTO: bool = Field(
        False,
        description="Behind a TLS proxy that sets X-Forwarded-Proto (and strips it from "
        "clients): treat requests it marks https as secure. Never on without such a proxy.",
    )
    TRUST_X_FORWARDED_FOR: bool = Field(
        False,
        description="Behind a proxy that appends the client address to X-Forwarded-For: use "
        "that address (the last one) for lockouts, rate limits, sessions and the audit log.",
    )
    CSRF_TRUSTED_ORIGINS: list[str] = Field(
        [],
        description='Extra origins allowed to POST forms, as a JSON list: '
        '["https://shopfloor.example"]. Rarely needed.',
    )

    @field_validator("LOGIN_RATE_LIMIT", "API_RATE_LIMIT")
    @classmethod
    def _rate(cls, value: str) -> str:
        match = RATE_PATTERN.match(value.strip())
        if not match or int(match.group(1)) < 1:
            raise ValueError("a rate is number/period, period one of s m h d: e.g. 120/m")
        return value.strip()

    @field_validator("REQUIRE_2FA_ROLES")
    @classmethod
    def _roles(cls, value: list[str]) -> list[str]:
        unknown = sorted(set(value) - set(ROLES))
        if unknown:
            raise ValueError(f"unknown roles {unknown}; roles are {list(ROLES)}")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Settings:
        if self.SESSION_IDLE_MINUTES > self.SESSION_MAX_HOURS * 60:
            raise ValueError("SESSION_IDLE_MINUTES is longer than SESSION_MAX_HOURS.")
        if self.UPLOAD_MAX_MB > self.IMPORT_MAX_MB:
            raise ValueError("UPLOAD_MAX_MB is larger than IMPORT_MAX_MB.")
        if self.EVIDENCE_MAX_MB > self.UPLOAD_MAX_MB:
            raise ValueError("EVIDENCE_MAX_MB is larger than UPLOAD_MAX_MB.")
        return self

    @model_validator(mode="after")
    def _refuse_unsafe_defaults(self) -> Settings:
        if self.DEBUG:
            return self
        if self.SECRET_KEY == DEVELOPMENT_SECRET_KEY or len(self.SECRET_KEY) < 32:
            raise UnsafeSettingsError(
                "SECRET_KEY is the development default or shorter than 32 characters. "
                "Set a long random SECRET_KEY, or DEBUG=true on a development machine."
            )
        if "*" in self.ALLOWED_HOSTS:
            raise UnsafeSettingsError("ALLOWED_HOSTS must name hosts outside development.")
        if self.SECURE_HSTS_SECONDS < 24 * 3600:
            raise UnsafeSettingsError(
                "SECURE_HSTS_SECONDS must be at least a day (86400) outside development.")
        if "admin" not in self.REQUIRE_2FA_ROLES:
            raise UnsafeSettingsError(
                "REQUIRE_2FA_ROLES must contain admin outside development: organisation "
                "admins can cut members off and read the audit log.")
        return self


@lru_cache
def get_settings() -> Settings:
    return Settings()
