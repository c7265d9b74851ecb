"""The matcher's shortcuts must never change a result: each one is checked here against the
long way round, on the default config and every probe set (tests/data/probe*.jsonl)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from monitor.config.topics import EntitySpec, TopicSpec
from monitor.matching import Matcher, build_matcher, load_rows, load_specs
from monitor.matching.rules import evaluate, possible
from monitor.matching.text import _offsets, tokenize

ROOT = Path(__file__).resolve().parent.parent
PROBES = sorted((ROOT / "tests" / "data").glob("probe*.jsonl"))


@cache
def default_matcher() -> Matcher:
    return build_matcher(*load_specs(ROOT / "config" / "topics.yaml"))


@pytest.mark.parametrize("path", PROBES, ids=lambda p: p.name)
def test_match_equals_the_unshortcut_evaluation(path: Path) -> None:
    """`match` skips resolving items whose raw hits make no topic `possible`; the full path
    (resolve, then evaluate every topic whose keys were seen) must give the same matches."""
    matcher = default_matcher()
    for row in load_rows(path):
        title, summary = str(row.get("title") or ""), str(row.get("summary") or "")
        resolved = matcher.resolve(title, summary)
        full = matcher.match_resolved(resolved) if resolved.hits else []
        assert matcher.match(title, summary) == full, row.get("id")


@pytest.mark.parametrize("path", PROBES, ids=lambda p: p.name)
def test_possible_is_necessary_for_every_rule_and_context(path: Path) -> None:
    matcher = default_matcher()
    for row in load_rows(path):
        resolved = matcher.resolve(str(row.get("title") or ""), str(row.get("summary") or ""))
        keys = set(resolved.hits)
        n = len(resolved.doc.norm)
        for t in matcher.topics:
            if evaluate(t.rule, resolved.hits, resolved.doc, 0, n) is not None:
                assert possible(t.rule, keys), (row.get("id"), t.id)


def test_possible_ignores_windows_and_exclusions() -> None:
    entities = [EntitySpec(id=i, name=i, aliases=[i]) for i in ("acme", "lawsuit", "satire")]
    topic = TopicSpec.model_validate({"id": "t", "name": "t", "rules": {
        "within": "sentence",
        "all_of": [{"entity": "acme"}, {"any_of": [{"entity": "lawsuit"}, {"keywords": ["sued"]}]}],
        "none_of": [{"entity": "satire"}]}})
    matcher = build_matcher(entities, [topic])
    rule = matcher.topics[0].rule
    acme, lawsuit, satire = 0, 1, 2
    assert possible(rule, {acme, lawsuit, satire})  # none_of is left to evaluate
    assert not possible(rule, {acme, satire})  # the any_of has nothing
    assert not possible(rule, {lawsuit})  # acme is a must
    # apart (two sentences of a summary): possible, but the rule does not hold; the matcher still says no
    doc = tokenize("news", "acme wins. lawsuit filed")
    resolved = matcher.resolve("news", "acme wins. lawsuit filed")
    assert possible(rule, set(resolved.hits))
    assert evaluate(rule, resolved.hits, doc, 0, len(doc.norm)) is None
    assert matcher.match("news", "acme wins. lawsuit filed") == []
    assert [m.topic for m in matcher.match("acme lawsuit filed")] == ["t"]


@pytest.mark.parametrize("path", PROBES, ids=lambda p: p.name)
def test_token_offsets_equal_recutting_each_sentence(path: Path) -> None:
    """Evidence spans come from searching each token after the previous one; cutting each
    sentence again with the tokenizer's regex (the long way) must give the same offsets."""
    for row in load_rows(path):
        title, summary = str(row.get("title") or ""), str(row.get("summary") or "")
        for doc in (tokenize(title, summary), tokenize(summary, title)):
            recut = [(off + m.start(), off + m.end())
                     for off, chunk in doc.sentences for m in doc.token_re.finditer(chunk)]
            assert _offsets(doc.text, doc.tokens) == recut, row.get("id")
