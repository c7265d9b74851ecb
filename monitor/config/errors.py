"""Config errors, located.

ConfigError            one problem: file, line, key path, message
ConfigInvalid          all the problems found in one load (raised once, listing every error)

An operator fixing a config wants every problem at once, each with the place to look.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ConfigError:
    file: str
    line: int | None
    key_path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        key = f" {self.key_path}:" if self.key_path else ""
        return f"{where}:{key} {self.message}"


class ConfigInvalid(Exception):
    def __init__(self, errors: list[ConfigError]) -> None:
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


def format_key_path(path: tuple[str | int, ...]) -> str:
    """`feeds[2].url` style, the way an operator reads YAML."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out
