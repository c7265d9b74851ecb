"""The matching engine: aliases, context, rules, evidence, config validation, reports."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from pydantic import ValidationError

from monitor.config.topics import EntitySpec, TopicSpec, check_topic_references
from monitor.matching import Evidence, Matcher, TopicMatch, build_matcher, evaluate, explain, format_report


def make(entities: list[dict[str, Any]], topics: list[dict[str, Any]]) -> Matcher:
    return build_matcher([EntitySpec.model_validate(e) for e in entities],
                         [TopicSpec.model_validate(t) for t in topics])


def topics_of(m: Matcher, title: str, summary: str = "") -> set[str]:
    return {x.topic for x in m.match(title, summary)}


ACME = {"id": "acme", "name": "Acme Corp", "aliases": ["Acme Corp", "أكمي"]}
ACME_NEWS = {"id": "acme-news", "name": "Acme news", "rules": {"all_of": [{"entity": "acme"}]}}


def test_minimal_design_config_validates_and_matches() -> None:
    m = make([ACME], [ACME_NEWS])
    assert m.topic_names == {"acme-news": "Acme news"}
    [hit] = m.match("Shares of ACME CORP rise")
    assert isinstance(hit, TopicMatch)
    assert (hit.topic, hit.severity, hit.score) == ("acme-news", "medium", 80)
    assert hit.evidence == (Evidence("acme-news:rules.all_of[0].entity:acme", "Acme Corp", "ACME CORP", 100),)
    assert topics_of(m, "شركة أكمي تعلن أرباحها") == {"acme-news"}
    assert topics_of(m, "Acme Corporation?") == set()  # whole words only


def test_any_of_none_of_keywords_and_prefix() -> None:
    m = make([ACME], [{"id": "t", "name": "T", "severity": "high", "score": 70, "rules": {
        "all_of": [{"entity": "acme"}],
        "any_of": [{"keywords": ["lawsuit*", "sued"]}, {"keywords": ["recall"]}],
        "none_of": [{"keywords": ["satire"]}]}}])
    assert topics_of(m, "Acme Corp faces lawsuits") == {"t"}
    assert topics_of(m, "Acme Corp sued over recall") == {"t"}
    assert topics_of(m, "Acme Corp sued, a satire") == set()
    assert topics_of(m, "Acme Corp lawful") == set()
    assert m.match("Acme Corp recall")[0].severity == "high"


def test_at_least_and_proximity() -> None:
    rules = {"any_of": [{"keywords": ["alpha"]}, {"keywords": ["beta"]}, {"keywords": ["gamma"]}], "at_least": 2}
    m = make([ACME], [{"id": "two", "name": "Two", "rules": rules},
                      {"id": "near", "name": "Near", "rules": {"within": 3, "all_of": [{"entity": "acme"}, {"keywords": ["fire"]}]}},
                      {"id": "sent", "name": "Sent", "rules": {"within": "sentence", "all_of": [{"entity": "acme"}, {"keywords": ["fire"]}]}},
                      {"id": "title", "name": "Title", "rules": {"within": "title", "entity": "acme"}}])
    assert topics_of(m, "alpha and gamma") == {"two"}
    assert topics_of(m, "alpha only") == set()
    assert topics_of(m, "Acme Corp plant fire") >= {"near", "sent", "title"}
    far = "Acme Corp said that on a quiet day long after the fire"
    assert topics_of(m, far) == {"sent", "title"}
    # a summary's sentences are apart; a title is one sentence however it is punctuated
    assert topics_of(m, "Acme news", "Acme Corp is fine. A fire elsewhere") == set()
    assert topics_of(m, "Acme Corp is fine.. a fire elsewhere") == {"sent", "title"}
    assert topics_of(m, "Nothing here", "Acme Corp plant fire") == {"near", "sent"}


def test_case_sensitive_alias_and_context() -> None:
    fair = {"id": "fair", "name": "FAIR", "aliases": [
        {"text": "FAIR", "case_sensitive": True, "context": {"entity": "meta"}}]}
    meta = {"id": "meta", "name": "Meta", "aliases": [{"text": "Meta", "case_sensitive": True}]}
    m = make([fair, meta], [{"id": "t", "name": "T", "rules": {"entity": "fair"}}])
    assert topics_of(m, "Meta's FAIR lab loses staff") == {"t"}
    assert topics_of(m, "A fair deal for Meta") == set()
    assert topics_of(m, "FAIR trade coffee") == set()  # no Meta: context fails
    assert topics_of(m, "metadata at FAIR") == set()


def test_fuzzy_alias_scores_below_100() -> None:
    wang = {"id": "wang", "name": "Alexandr Wang", "aliases": [{"text": "Alexandr Wang", "mode": "fuzzy", "threshold": 85}]}
    m = make([wang], [{"id": "t", "name": "T", "rules": {"entity": "wang"}}])
    [hit] = m.match("Alexander Wang speaks")
    assert 85 <= hit.evidence[0].score < 100 and hit.evidence[0].text == "Alexander Wang"
    assert hit.score < 80
    assert topics_of(m, "Wang Yi speaks") == set()


def test_regex_alias_and_exclude() -> None:
    ent = {"id": "x", "name": "X", "aliases": [{"text": r"14\.3 ?b(illion)?", "mode": "regex"}, "Meta"],
           "exclude": ["Ilir Meta"]}
    m = make([ent], [{"id": "t", "name": "T", "rules": {"entity": "x"}}])
    assert topics_of(m, "a $14.3 billion stake") == {"t"}
    assert topics_of(m, "President Ilir Meta visits") == set()


def test_results_sorted_and_deterministic() -> None:
    m = make([ACME], [dict(ACME_NEWS, score=60), {"id": "b", "name": "B", "score": 90, "rules": {"entity": "acme"}}])
    first = m.match("Acme Corp and Acme Corp")
    assert [x.topic for x in first] == ["b", "acme-news"]
    assert all(m.match("Acme Corp and Acme Corp") == first for _ in range(3))


def test_threads_share_one_matcher() -> None:
    m = make([ACME], [ACME_NEWS])
    results: list[set[str]] = []

    def work() -> None:
        for _ in range(200):
            results.append(topics_of(m, "Acme Corp news"))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [{"acme-news"}] * 800


@pytest.mark.parametrize("junk", ["", "\x00\x01\x02" * 1000, "\ufffd" * 5000, "a" * 1_000_000,
                                  "Acme Corp " * 50_000, bytes(range(256)).decode("latin-1") * 100])
def test_empty_huge_and_binary_input(junk: str) -> None:
    m = make([ACME], [ACME_NEWS])
    out = m.match(junk, junk)
    assert isinstance(out, list)
    if out:
        assert len(out[0].evidence) <= 3


# ------------------------------------------------------------------ config validation
def test_unknown_entity_duplicates_bad_regex_empty_alias() -> None:
    ents = [EntitySpec.model_validate(ACME), EntitySpec.model_validate(ACME),
            EntitySpec.model_validate({"id": "r", "name": "R", "aliases": [{"text": "(", "mode": "regex"}, "!!!"]})]
    tops = [TopicSpec.model_validate(ACME_NEWS), TopicSpec.model_validate(ACME_NEWS),
            TopicSpec.model_validate({"id": "u", "name": "U", "rules": {"any_of": [{"entity": "acme"}, {"entity": "nope"}]}})]
    errors = dict(check_topic_references(ents, tops))
    assert "duplicate id 'acme'" in errors[("entities", 1, "id")]
    assert "duplicate id 'acme-news'" in errors[("topics", 1, "id")]
    assert "invalid regex" in errors[("entities", 2, "aliases", 0)]
    assert "no letters" in errors[("entities", 2, "aliases", 1)]
    assert errors[("topics", 2, "rules", "any_of", 1, "entity")] == "unknown entity 'nope'"
    with pytest.raises(ValueError, match="unknown entity 'nope'"):
        build_matcher(ents[:1], tops[2:])


def test_unknown_entity_inside_alias_context() -> None:
    ent = EntitySpec.model_validate({"id": "a", "name": "A", "aliases": [{"text": "A", "context": {"entity": "zz"}}]})
    assert check_topic_references([ent], []) == [(("entities", 0, "aliases", 0, "context", "entity"), "unknown entity 'zz'")]


@pytest.mark.parametrize("bad", [
    {"id": "a", "name": "A", "aliases": []},
    {"id": "a", "name": "A", "aliases": [""]},
    {"id": "a", "name": "A", "aliases": ["x"], "typo": 1},
    {"id": "A B", "name": "A", "aliases": ["x"]},
    {"id": "a", "name": "A", "aliases": [{"text": "x", "mode": "magic"}]},
    {"id": "a", "name": "A", "aliases": [{"text": "x", "threshold": 101}]},
])
def test_entity_schema_errors(bad: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        EntitySpec.model_validate(bad)


@pytest.mark.parametrize("rules", [{}, {"all_of": []}, {"within": 3}, {"any_of": [{"entity": "a"}], "at_least": 2},
                                   {"entity": "a", "sevrity": "high"}, {"all_of": [{"entity": "a"}], "within": "paragraph"}])
def test_rule_schema_errors(rules: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        TopicSpec.model_validate({"id": "t", "name": "T", "rules": rules})


def test_topic_score_and_severity_bounds() -> None:
    with pytest.raises(ValidationError):
        TopicSpec.model_validate(dict(ACME_NEWS, score=101))
    with pytest.raises(ValidationError):
        TopicSpec.model_validate(dict(ACME_NEWS, severity="urgent"))


# ------------------------------------------------------------------ explain / evaluate
def test_explain_shows_matches_rejections_and_near_misses() -> None:
    meta = {"id": "meta", "name": "Meta", "aliases": [{"text": "Meta", "case_sensitive": True}]}
    wang = {"id": "wang", "name": "Wang", "aliases": [{"text": "Wang", "case_sensitive": True, "context": {"entity": "meta"}}]}
    m = make([meta, wang], [{"id": "role", "name": "Role", "rules": {"all_of": [{"entity": "wang"}, {"keywords": ["role"]}]}},
                            {"id": "m", "name": "M", "rules": {"entity": "meta"}}])
    text = explain(m, "Meta expands Wang's remit")
    assert "MATCH m" in text and "near misses" in text and "    role: found wang" in text
    verbose = explain(m, "Meta expands Wang's remit", verbose=True)
    assert "near miss role" in verbose and "not found" in verbose
    assert "context did not hold" in explain(m, "Wang Yi visits")
    assert explain(m, "nothing").startswith("no topic matches")


def test_evaluate_and_format_report() -> None:
    m = make([ACME], [ACME_NEWS])
    rows = [{"id": "1", "title": "Acme Corp wins", "summary": "", "labels": ["acme-news"]},
            {"id": "2", "title": "Acme Corp loses", "summary": "", "labels": []},
            {"id": "3", "title": "Nothing", "summary": "", "labels": ["acme-news"]}]
    report = evaluate(m, rows)
    s = report.by_topic()["acme-news"]
    assert (s.tp, s.fp, s.fn) == (1, 1, 1)
    assert s.precision == s.recall == 0.5
    text = format_report(report)
    assert "acme-news" in text and "[2] acme-news" in text and "[3] acme-news" in text
    assert "'Acme Corp'" in text
