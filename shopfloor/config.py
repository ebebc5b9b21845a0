"""Every setting Shopfloor reads from the environment, declared once and typed.

Values come from environment variables of the same name (``DATABASE_URL``, ``DEBUG``, ...)
or from a ``.env`` file in the working directory. Outside development (``DEBUG`` false)
unsafe defaults are refused: the process does not start with the built-in secret key.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

BASE_DIR = Path(__file__).resolve().parent.parent

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
        return self


@lru_cache
def get_settings() -> Settings:
    return Settings()
