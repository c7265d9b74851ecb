"""The running watch config and its compiled matcher, swapped atomically on reload.

An invalid edit is refused with every error logged and the previous config keeps running; the
swap is one attribute assignment, so a stage never sees half of an old and half of a new config.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from monitor.config.errors import ConfigInvalid
from monitor.config.load import config_fingerprint, load_config
from monitor.config.model import WatchConfig
from monitor.logs import get_logger, log_event
from monitor.matching import Matcher, build_matcher
from monitor.topiclint import broad_topic_warnings

log = get_logger(__name__)


@dataclass(frozen=True)
class ActiveConfig:
    config: WatchConfig
    matcher: Matcher
    fingerprint: str
    version: int
    warnings: tuple[str, ...] = ()


def compile_config(directory: Path, version: int = 1) -> ActiveConfig:
    loaded = load_config(directory)
    matcher = build_matcher(list(loaded.config.entities), list(loaded.config.topics))
    warnings = tuple(broad_topic_warnings(matcher, [t.id for t in loaded.config.topics]))
    return ActiveConfig(loaded.config, matcher, loaded.fingerprint, version, warnings)


class ConfigHolder:
    def __init__(self, directory: Path, active: ActiveConfig) -> None:
        self.directory = directory
        self.active = active

    @classmethod
    def load(cls, directory: Path) -> ConfigHolder:
        return cls(directory, compile_config(directory))

    def reload_if_changed(self) -> bool:
        """True when a new config was swapped in."""
        if config_fingerprint(self.directory) == self.active.fingerprint:
            return False
        try:
            new = compile_config(self.directory, self.active.version + 1)
        except ConfigInvalid as exc:
            for err in exc.errors:
                log_event(log, "config.invalid", 40, error=str(err))
            log_event(log, "config.kept", 30, version=self.active.version)
            # remember the broken fingerprint so we do not log the same errors every few seconds
            self.active = ActiveConfig(self.active.config, self.active.matcher,
                                       config_fingerprint(self.directory), self.active.version)
            return False
        self.active = new
        for warning in new.warnings:
            log_event(log, "config.warning", 30, warning=warning)
        log_event(log, "config.reloaded", version=new.version, feeds=len(new.config.feeds),
                  topics=len(new.config.topics))
        return True
