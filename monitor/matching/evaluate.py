"""Scoring a matcher against labeled items: per-topic precision/recall/F1 plus every error.

The report is for the person tuning topics.yaml: the numbers say where to look, and each miss
or false alarm comes with the evidence (or near-miss explanation) needed to fix the rule.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from monitor.config.topics import EntitySpec, TopicSpec
from monitor.matching.engine import Matcher, TopicMatch


@dataclass(frozen=True)
class TopicScore:
    topic: str
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class Error:
    """One wrong call: kind is 'miss' (label not found) or 'false_alarm' (found, not labeled)."""

    kind: str
    item_id: str
    topic: str
    title: str
    detail: str


@dataclass(frozen=True)
class EvalReport:
    scores: tuple[TopicScore, ...]
    errors: tuple[Error, ...] = field(default_factory=tuple)
    items: int = 0

    def by_topic(self) -> dict[str, TopicScore]:
        return {s.topic: s for s in self.scores}


def load_rows(path: str | Path) -> list[dict[str, Any]]:
    """Read a JSON-lines eval file (id, title, summary, url, lang, labels)."""
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def evaluate(matcher: Matcher, rows: Sequence[Mapping[str, Any]]) -> EvalReport:
    """Run the matcher over labeled rows and count hits per topic (labels of unknown topics
    count as misses, so a renamed topic cannot silently score 100%)."""
    from monitor.matching.explain import near_misses

    topics = list(matcher.topic_names)
    counts = {t: [0, 0, 0] for t in topics}
    errors: list[Error] = []
    for row in rows:
        title, summary = str(row.get("title") or ""), str(row.get("summary") or "")
        found: dict[str, TopicMatch] = {m.topic: m for m in matcher.match(title, summary, row.get("lang"), row.get("url"))}
        labels = set(row.get("labels") or ())
        for t in sorted(labels | set(found)):
            c = counts.setdefault(t, [0, 0, 0])
            if t in labels and t in found:
                c[0] += 1
            elif t in found:
                c[1] += 1
                ev = "; ".join(f"{e.alias!r}={e.text!r} ({e.rule.split(':', 1)[1]})" for e in found[t].evidence)
                errors.append(Error("false_alarm", str(row.get("id")), t, title, ev))
            else:
                c[2] += 1
                errors.append(Error("miss", str(row.get("id")), t, title, near_misses(matcher, title, summary, t)))
    scores = tuple(TopicScore(t, *counts[t]) for t in counts)
    return EvalReport(scores, tuple(errors), len(rows))


def format_report(report: EvalReport) -> str:
    """A fixed-width table, a micro-average line, then every miss and false alarm."""
    lines = [f"{'topic':<24}{'P':>7}{'R':>7}{'F1':>7}{'tp':>5}{'fp':>5}{'fn':>5}"]
    for s in report.scores:
        lines.append(f"{s.topic:<24}{s.precision:>7.3f}{s.recall:>7.3f}{s.f1:>7.3f}{s.tp:>5}{s.fp:>5}{s.fn:>5}")
    total = TopicScore("all (micro)", *(sum(getattr(s, k) for s in report.scores) for k in ("tp", "fp", "fn")))
    lines.append(f"{total.topic:<24}{total.precision:>7.3f}{total.recall:>7.3f}{total.f1:>7.3f}"
                 f"{total.tp:>5}{total.fp:>5}{total.fn:>5}")
    lines.append(f"items: {report.items}")
    for kind, heading in (("miss", "Misses"), ("false_alarm", "False alarms")):
        errs = [e for e in report.errors if e.kind == kind]
        lines.append(f"\n{heading} ({len(errs)}):")
        for e in errs:
            lines.append(f"- [{e.item_id}] {e.topic}: {e.title}")
            lines.extend(f"    {line}" for line in e.detail.splitlines())
    return "\n".join(lines)


def load_specs(path: str | Path) -> tuple[list[EntitySpec], list[TopicSpec]]:
    """Entities and topics of one YAML file, validated (for eval scripts, tests and bench;
    the service itself goes through the config loader, which reports file:line errors)."""
    from ruamel.yaml import YAML

    data = YAML(typ="safe").load(Path(path).read_text(encoding="utf-8")) or {}
    return ([EntitySpec.model_validate(e) for e in data.get("entities") or []],
            [TopicSpec.model_validate(t) for t in data.get("topics") or []])
