"""Load the watch config from a folder of YAML files, with every error located.

ruamel.yaml keeps line numbers for every mapping key and list item, so a pydantic error's
`loc` can be walked back to `file:line`. `${VAR}` is interpolated from the environment before
validation; an unset variable is an error at the key that names it (never a silent empty
string that would turn into a webhook to nowhere).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError

from monitor.config.errors import ConfigError, ConfigInvalid, format_key_path
from monitor.config.model import WatchConfig, cross_check

FILES = ("feeds.yaml", "topics.yaml", "alerts.yaml")
KEYS_BY_FILE = {
    "feeds.yaml": ("feeds",),
    "topics.yaml": ("entities", "topics"),
    "alerts.yaml": ("destinations", "subscriptions"),
}
ALL_KEYS = tuple(k for keys in KEYS_BY_FILE.values() for k in keys)
_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")


@dataclass(frozen=True)
class LoadedConfig:
    config: WatchConfig
    directory: Path
    fingerprint: str  # changes when any file changes; lets the worker skip needless reloads


def config_fingerprint(directory: Path) -> str:
    parts = []
    for name in FILES:
        p = directory / name
        try:
            st = p.stat()
            parts.append(f"{name}:{st.st_mtime_ns}:{st.st_size}")
        except FileNotFoundError:
            parts.append(f"{name}:-")
    return "|".join(parts)


def _line_of(node: Any, path: tuple[str | int, ...]) -> int | None:
    """1-based line of the deepest node along `path` that exists in the YAML tree."""
    line: int | None = None
    for part in path:
        try:
            if isinstance(node, CommentedMap) and part in node:
                line = node.lc.key(part)[0] + 1
                node = node[part]
            elif isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node):
                line = node.lc.item(part)[0] + 1
                node = node[part]
            else:
                break
        except (KeyError, IndexError, TypeError, AttributeError):
            break
    return line


def _interpolate(node: Any, env: Mapping[str, str], path: tuple[str | int, ...],
                 unset: list[tuple[tuple[str | int, ...], str]]) -> Any:
    if isinstance(node, dict):
        return {k: _interpolate(v, env, path + (k,), unset) for k, v in node.items()}
    if isinstance(node, list):
        return [_interpolate(v, env, path + (i,), unset) for i, v in enumerate(node)]
    if isinstance(node, str) and "${" in node:
        def sub(m: re.Match[str]) -> str:
            value = env.get(m.group(1))
            if value is None or value == "":
                if m.group(2) is not None:
                    return m.group(2)
                unset.append((path, f"environment variable {m.group(1)} is not set"))
                return ""
            return value
        return _VAR.sub(sub, node)
    return node


def _read_file(path: Path, errors: list[ConfigError]) -> CommentedMap | None:
    yaml = YAML(typ="rt")
    try:
        data = yaml.load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except UnicodeDecodeError as exc:
        errors.append(ConfigError(str(path), None, "", f"not UTF-8 text: {exc}"))
        return None
    except MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        errors.append(ConfigError(str(path), line, "", f"YAML syntax error: {exc.problem or exc}"))
        return None
    except Exception as exc:  # ruamel raises a zoo of errors for odd input (duplicate keys, tabs)
        errors.append(ConfigError(str(path), None, "", f"cannot read YAML: {exc}".splitlines()[0]))
        return None
    if data is None:
        return CommentedMap()
    if not isinstance(data, CommentedMap):
        errors.append(ConfigError(str(path), 1, "", "the file must be a mapping of keys like `feeds:`"))
        return None
    return data


def load_config(directory: Path | str, env: Mapping[str, str] | None = None) -> LoadedConfig:
    """Parse, interpolate, validate, cross-check. Raises ConfigInvalid listing every error."""
    directory = Path(directory)
    env = os.environ if env is None else env
    errors: list[ConfigError] = []
    if not directory.is_dir():
        raise ConfigInvalid([ConfigError(str(directory), None, "", "config folder does not exist")])
    fingerprint = config_fingerprint(directory)
    merged: dict[str, Any] = {}
    owner: dict[str, tuple[Path, CommentedMap]] = {}
    for name in FILES:
        path = directory / name
        data = _read_file(path, errors)
        if data is None:
            continue
        for key in data:
            if key not in ALL_KEYS:
                errors.append(ConfigError(str(path), _line_of(data, (key,)), str(key),
                                          f"unknown key (expected one of: {', '.join(KEYS_BY_FILE[name])})"))
            elif key in owner:
                errors.append(ConfigError(str(path), _line_of(data, (key,)), str(key),
                                          f"also defined in {owner[key][0].name}"))
            else:
                owner[key] = (path, data)
                value = data[key]
                merged[key] = [] if value is None else value

    def locate(path: tuple[str | int, ...], message: str) -> ConfigError:
        top = str(path[0]) if path else ""
        if top in owner:
            file, tree = owner[top]
            return ConfigError(str(file), _line_of(tree, path), format_key_path(path), message)
        return ConfigError(str(directory), None, format_key_path(path), message)

    unset: list[tuple[tuple[str | int, ...], str]] = []
    plain = _interpolate(_to_plain(merged), env, (), unset)
    errors += [locate(p, m) for p, m in unset]
    try:
        cfg = WatchConfig.model_validate(plain)
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            loc = tuple(p for p in err["loc"] if isinstance(p, int) or not _is_union_tag(str(p)))
            if any(up[:len(loc)] == loc for up, _ in unset):
                continue  # a consequence of the unset variable already reported there
            msg = err["msg"].removeprefix("Value error, ")
            if err["type"] == "extra_forbidden":
                msg = "unknown key (typo?)"
            errors.append(locate(loc, msg))
        raise ConfigInvalid(errors) from None
    errors += [locate(p, m) for p, m in cross_check(cfg)]
    if errors:
        raise ConfigInvalid(errors)
    return LoadedConfig(cfg, directory, fingerprint)


def _is_union_tag(part: str) -> bool:
    """pydantic inserts union member names (`str`, `AliasSpec`, `function-after[...]`) into locs."""
    return part[:1].isupper() or "[" in part or part in {"str", "int", "float", "bool", "list", "dict"}


def _to_plain(node: Any) -> Any:
    if isinstance(node, dict):
        return {str(k): _to_plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_to_plain(v) for v in node]
    return node


def summarize(cfg: WatchConfig) -> str:
    enabled = sum(1 for f in cfg.feeds if f.enabled)
    return (f"{len(cfg.feeds)} feeds ({enabled} enabled), {len(cfg.entities)} entities, "
            f"{len(cfg.topics)} topics, {len(cfg.destinations)} destinations, "
            f"{len(cfg.subscriptions)} subscriptions")
