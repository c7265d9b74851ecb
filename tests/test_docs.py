"""The README is the manual: every CLI command and every setting must be in it."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import click

from monitor.cli import main
from monitor.settings import Settings

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
SETTINGS_SRC = (Path(__file__).parent.parent / "monitor" / "settings.py").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: str = "monitor") -> list[str]:
    out = []
    for name, cmd in group.commands.items():
        if isinstance(cmd, click.Group):
            out += _commands(cmd, f"{prefix} {name}")
        else:
            out.append(f"{prefix} {name}")
    return out


def test_every_cli_command_is_documented() -> None:
    missing = [c for c in _commands(main) if f"`{c}" not in README]
    assert missing == []


def test_every_setting_is_documented() -> None:
    names = set(re.findall(r'"((?:MONITOR_|DATABASE_|PORT)[A-Z_]*)"', SETTINGS_SRC))
    assert len(names) >= len(dataclasses.fields(Settings)) - 1
    assert [n for n in sorted(names) if f"`{n}`" not in README] == []


def test_readme_shows_the_two_commands() -> None:
    assert "make run" in README and "make test" in README


def test_every_config_key_is_in_the_reference() -> None:
    from pydantic import BaseModel

    from monitor.config.model import DestinationSpec, FeedSpec, QuietHours, RetrySpec, SubscriptionSpec

    reference = (Path(__file__).parent.parent / "docs" / "config.md").read_text(encoding="utf-8")
    models: list[type[BaseModel]] = [FeedSpec, DestinationSpec, RetrySpec, SubscriptionSpec, QuietHours]
    keys = {f.alias or name for m in models for name, f in m.model_fields.items()}
    assert [k for k in sorted(keys) if f"`{k}`" not in reference and k not in reference] == []
    env = set(re.findall(r'"((?:MONITOR_|DATABASE_|PORT)[A-Z_]*)"', SETTINGS_SRC))
    assert [n for n in sorted(env) if f"`{n}`" not in reference] == []
