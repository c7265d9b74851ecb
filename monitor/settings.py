"""Process settings, read once from the environment (12-factor) into a frozen object.

Everything a deployment changes without touching code lives here; the watch config (feeds,
topics, destinations) is separate because operators edit it while the service runs.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class SettingsError(ValueError):
    """An environment variable holds a value the service cannot use."""


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise SettingsError(f"{name}={raw!r} is not a boolean (use true or false)")


def _number(env: Mapping[str, str], name: str, default: float, minimum: float = 0.0) -> float:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{name}={raw!r} is not a number") from None
    if value < minimum:
        raise SettingsError(f"{name}={raw!r} must be >= {minimum}")
    return value


@dataclass(frozen=True)
class Settings:
    """Option table: every field maps to one environment variable (see docs/config.md)."""

    database_url: str = "sqlite:///monitor.db"
    config_dir: Path = Path("config")
    port: int = 8000
    host: str = "0.0.0.0"
    allow_private_urls: bool = False
    log_format: str = "text"  # text | json
    log_level: str = "INFO"
    tick_s: float = 1.0  # how often the scheduler looks for due feeds
    lease_s: float = 60.0  # how long a claimed feed or alert stays claimed by a worker that died
    config_reload_s: float = 5.0  # how often the worker checks config/ for edits
    api_token: str | None = field(default=None, repr=False)  # secret: enables API writes

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Read the environment once; invalid values fail fast with the variable's name."""
    env = os.environ if env is None else env
    port = int(_number(env, "PORT", 8000, minimum=0))
    log_format = env.get("MONITOR_LOG_FORMAT", "text").strip().lower() or "text"
    if log_format not in {"text", "json"}:
        raise SettingsError(f"MONITOR_LOG_FORMAT={log_format!r} must be text or json")
    return Settings(
        database_url=env.get("DATABASE_URL", "").strip() or "sqlite:///monitor.db",
        config_dir=Path(env.get("MONITOR_CONFIG", "").strip() or "config"),
        port=port,
        host=env.get("MONITOR_HOST", "0.0.0.0").strip() or "0.0.0.0",
        allow_private_urls=_bool(env, "MONITOR_ALLOW_PRIVATE_URLS", False),
        log_format=log_format,
        log_level=(env.get("MONITOR_LOG_LEVEL", "INFO").strip() or "INFO").upper(),
        tick_s=_number(env, "MONITOR_TICK_S", 1.0, minimum=0.05),
        lease_s=_number(env, "MONITOR_LEASE_S", 60.0, minimum=1.0),
        config_reload_s=_number(env, "MONITOR_CONFIG_RELOAD_S", 5.0, minimum=0.1),
        api_token=env.get("MONITOR_API_TOKEN", "").strip() or None,
    )
