"""Entity and topic schema of the watch config (topics.yaml).

Owned by the matching engine: the rule grammar grows here, and the minimal DESIGN.md form
(`rules: {all_of: [{entity: acme}]}`) is always accepted.

Grammar (docs/matching.md has the long form with an example):

- **entity**: `id`, `name`, `aliases` (>= 1), optional `exclude` (phrases that veto an alias
  hit they overlap, e.g. "Ilir Meta") and `description`. An entity is any named set of words:
  an organization, a person, or a shared vocabulary ("defense terms") reused by topics.
- **alias**: a string, or `{text, mode, case_sensitive, threshold, context, window}`.
  `mode` is `exact` (default; whole tokens after normalization; a trailing `*` on a word is a
  prefix: `poach*`), `fuzzy` (rapidfuzz ratio >= `threshold` on a window of tokens: catches
  "Alexander Wang" for "Alexandr Wang", "ScaleAI" for "Scale AI") or `regex` (over the
  normalized tokens joined by single spaces). `case_sensitive` keeps "FAIR" apart from "fair".
  `context` is a condition that must hold around the hit (`window`: `text` (default),
  `sentence` or a number of tokens either side): "Scale" counts only near Meta or Wang.
- **topic**: `id`, `name`, `severity` (low|medium|high|critical), `score` (0-100, the score of
  a match whose evidence is all exact), `rules` (a condition), optional `description`.
- **condition**: a mapping with any of `entity: ID`, `keywords: [alias, ...]`,
  `all_of: [cond, ...]`, `any_of: [cond, ...]` (with `at_least: N`, default 1) and
  `none_of: [cond, ...]`; all parts present must hold. `within: sentence | title | N` makes the
  parts hold together inside one sentence, the title, or N tokens either side of a hit.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Severity = Literal["low", "medium", "high", "critical"]
Window = Literal["sentence", "title"] | Annotated[int, Field(ge=1, le=1000)]
NonEmpty = Annotated[str, Field(min_length=1, pattern=r"\S")]
Id = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")]
KeyPath = tuple[str | int, ...]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AliasSpec(Strict):
    """One way of writing a name or a keyword, with how strictly to match it."""

    text: NonEmpty
    mode: Literal["exact", "fuzzy", "regex"] = "exact"
    case_sensitive: bool = False
    threshold: int = Field(default=90, ge=50, le=100)
    context: Condition | None = None
    window: Literal["sentence", "text"] | Annotated[int, Field(ge=1, le=1000)] = "text"


Alias = NonEmpty | AliasSpec


class Condition(Strict):
    """A node of a topic rule (or of an alias context); every part given must hold."""

    entity: Id | None = None
    keywords: list[Alias] | None = Field(default=None, min_length=1)
    all_of: list[Condition] | None = Field(default=None, min_length=1)
    any_of: list[Condition] | None = Field(default=None, min_length=1)
    none_of: list[Condition] | None = Field(default=None, min_length=1)
    at_least: int = Field(default=1, ge=1)
    within: Window | None = None

    @model_validator(mode="after")
    def _has_a_test(self) -> Condition:
        if not (self.entity or self.keywords or self.all_of or self.any_of or self.none_of):
            raise ValueError("a condition needs entity, keywords, all_of, any_of or none_of")
        if self.any_of is not None and self.at_least > len(self.any_of):
            raise ValueError(f"at_least={self.at_least} but any_of has {len(self.any_of)} items")
        return self


class EntitySpec(Strict):
    id: Id
    name: NonEmpty
    aliases: list[Alias] = Field(min_length=1)
    exclude: list[NonEmpty] = Field(default_factory=list)
    description: str = ""


class TopicSpec(Strict):
    id: Id
    name: NonEmpty
    description: str = ""
    severity: Severity = "medium"
    score: int = Field(default=80, ge=0, le=100)
    rules: Condition


AliasSpec.model_rebuild()


def _check_alias(alias: Alias, path: KeyPath, known: set[str], errors: list[tuple[KeyPath, str]]) -> None:
    from monitor.matching.text import split_words  # schema stays importable without matching

    if isinstance(alias, str):
        alias = AliasSpec(text=alias)
    if alias.mode == "regex":
        try:
            re.compile(alias.text)
        except re.error as exc:
            errors.append((path, f"invalid regex {alias.text!r}: {exc}"))
    elif not split_words(alias.text.replace("*", "")):
        errors.append((path, f"alias {alias.text!r} has no letters or digits to match"))
    if alias.context is not None:
        _check_condition(alias.context, path + ("context",), known, errors)


def _check_condition(cond: Condition, path: KeyPath, known: set[str], errors: list[tuple[KeyPath, str]]) -> None:
    if cond.entity is not None and cond.entity not in known:
        errors.append((path + ("entity",), f"unknown entity {cond.entity!r}"))
    for i, kw in enumerate(cond.keywords or []):
        _check_alias(kw, path + ("keywords", i), known, errors)
    for part in ("all_of", "any_of", "none_of"):
        for i, child in enumerate(getattr(cond, part) or []):
            _check_condition(child, path + (part, i), known, errors)


def check_topic_references(entities: list[EntitySpec], topics: list[TopicSpec]) -> list[tuple[KeyPath, str]]:
    """What the schema cannot see: unknown entities, duplicate ids, bad patterns, empty aliases.

    Returns (key path, message) pairs; the config loader turns key paths into file:line.
    """
    errors: list[tuple[KeyPath, str]] = []
    known = {e.id for e in entities}
    for kind, specs in (("entities", entities), ("topics", topics)):
        seen: dict[str, int] = {}
        for i, spec in enumerate(specs):
            if spec.id in seen:
                errors.append(((kind, i, "id"), f"duplicate id {spec.id!r} (first at {kind}[{seen[spec.id]}])"))
            seen.setdefault(spec.id, i)
    for i, e in enumerate(entities):
        for j, alias in enumerate(e.aliases):
            _check_alias(alias, ("entities", i, "aliases", j), known, errors)
        for j, phrase in enumerate(e.exclude):
            _check_alias(phrase, ("entities", i, "exclude", j), known, errors)
    for i, t in enumerate(topics):
        _check_condition(t.rules, ("topics", i, "rules"), known, errors)
    return errors


def as_alias(alias: Alias) -> AliasSpec:
    """Plain strings are exact, case-insensitive aliases."""
    return AliasSpec(text=alias) if isinstance(alias, str) else alias

