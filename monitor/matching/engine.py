"""The Matcher: compile entities and topics once, then match many items.

Matching an item: tokenize -> alias index hits -> the topics whose rules are possible with the
keys of those hits (none, for most items: stop there) -> drop hits covered by an entity's
`exclude` phrases -> accept hits whose alias needs no context -> accept contextual hits whose
context now holds (repeated until nothing changes, so "Scale" near "Wang" near "Meta" resolves,
but two contextual aliases can never vouch only for each other) -> evaluate each possible topic
whose keys were seen -> TopicMatch with evidence. Nothing but lookup caches (benign to race) is
mutated after build, so reads are thread-safe.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from operator import attrgetter

from alerts.model import Evidence
from monitor.config.topics import Alias, EntitySpec, Severity, TopicSpec, as_alias, check_topic_references
from monitor.matching.aliases import AliasIndex, CompiledAlias, Hit, compile_alias
from monitor.matching.rules import Hits, Node, compile_condition, evaluate, possible
from monitor.matching.text import Doc, tokenize

_CONTEXT_ROUNDS = 4
_POSSIBLE_CACHE_MAX = 20_000
_NO_TOPICS: frozenset[int] = frozenset()


@dataclass(frozen=True)
class TopicMatch:
    topic: str  # topic id
    score: int  # 0-100
    severity: str  # low|medium|high|critical
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class CompiledTopic:
    id: str
    name: str
    severity: Severity
    score: int
    rule: Node


@dataclass(frozen=True)
class Resolved:
    """The hits of one item after exclusions and context rules; `rejected` feeds explain()."""

    doc: Doc
    hits: Hits
    rejected: tuple[Hit, ...]


class Matcher:
    """Compiled watch config. `match` is a pure function of its input and the config."""

    def __init__(self, index: AliasIndex, topics: list[CompiledTopic], key_names: dict[int, str],
                 excludes: dict[int, int]) -> None:
        self.index = index
        self.topics = topics
        self.key_names = key_names  # key -> "entity:meta" / "topic-id:rules.any_of[0].keywords"
        self._excludes = excludes  # exclusion key -> entity key it vetoes
        self.topic_names: dict[str, str] = {t.id: t.name for t in topics}
        # key -> topics that refer to it, so an item only evaluates topics it could satisfy
        self._always = [i for i, t in enumerate(topics) if t.rule.trigger is None]
        self._by_key: dict[int, list[int]] = {}
        for i, t in enumerate(topics):
            for k in t.rule.trigger or ():
                self._by_key.setdefault(k, []).append(i)
        # raw hit keys -> the topics possible with them (few distinct sets recur: the same names
        # and vocabularies); a cache that is benign to race, like the alias index's
        self._possible_cache: dict[frozenset[int], frozenset[int]] = {}

    def resolve(self, title: str, summary: str = "") -> Resolved:
        doc = tokenize(title, summary)
        return self._resolve(doc, self.index.find(doc))

    def _resolve(self, doc: Doc, raw: list[Hit]) -> Resolved:
        vetoes: dict[int, list[Hit]] = {}
        for h in raw:
            if h.key in self._excludes:
                vetoes.setdefault(self._excludes[h.key], []).append(h)
        plain: list[Hit] = []
        pending: list[Hit] = []
        for h in raw:
            if vetoes and _vetoed(h, vetoes, self._excludes):
                continue
            (pending if h.alias.context is not None else plain).append(h)
        hits = _group(plain)
        for _ in range(_CONTEXT_ROUNDS):
            if not pending:
                break
            accepted = [h for h in pending if _context_holds(h, hits, doc)]
            if not accepted:
                break
            pending = [h for h in pending if h not in accepted]
            changed = {h.key for h in accepted}  # regroup only the keys that gained hits
            hits = {k: v for k, v in hits.items() if k not in changed} | _group(
                [h for k in changed for h in hits.get(k, ())] + accepted)
        return Resolved(doc, hits, tuple(pending))

    def match(self, title: str, summary: str = "", lang: str | None = None, url: str | None = None) -> list[TopicMatch]:
        """Topics this item belongs to, best first. `lang` and `url` are accepted for callers'
        convenience; matching is language-agnostic (both scripts fold to one form)."""
        doc = tokenize(title, summary)
        raw = self.index.find(doc)
        candidates = self._possible_topics(raw)
        if not candidates:
            return []
        resolved = self._resolve(doc, raw)
        if not resolved.hits:
            return []
        return self.match_resolved(resolved, candidates)

    def _possible_topics(self, raw: list[Hit]) -> frozenset[int]:
        """The topics that could hold, judged from the keys of the raw hits alone. Resolved hits
        are a subset of the raw ones, so no other topic can match; when there is none (most
        items: only vocabulary words, or a name without the rest of its rule), exclusions,
        context rules and rule windows need not run at all."""
        by_key = self._by_key
        if not self._always and not any(h.key in by_key for h in raw):
            return _NO_TOPICS  # no topic's trigger key at all: the common case, without building a set
        keys = frozenset(h.key for h in raw)
        known = self._possible_cache.get(keys)
        if known is None:
            topics = self.topics
            seen = set(self._always).union(*(by_key.get(k, ()) for k in keys))
            known = frozenset(i for i in seen if possible(topics[i].rule, keys))
            if len(self._possible_cache) > _POSSIBLE_CACHE_MAX:
                self._possible_cache.clear()
            self._possible_cache[keys] = known
        return known

    def match_resolved(self, resolved: Resolved, candidates: Collection[int] | None = None) -> list[TopicMatch]:
        """Matches of a resolved item; `candidates`, if given, are the only topics that could
        hold (from `_possible_topics`), the rest are not evaluated."""
        doc, hits = resolved.doc, resolved.hits
        todo = set(self._always)
        for k in hits:
            todo.update(self._by_key.get(k, ()))
        if candidates is not None:
            todo.intersection_update(candidates)
        out: list[TopicMatch] = []
        for i in sorted(todo):
            t = self.topics[i]
            found = evaluate(t.rule, hits, doc, 0, len(doc.norm))
            if found is None:
                continue
            # one piece of evidence per matched span, even when several rule branches used it
            by_span: dict[tuple[int, int, str], tuple[str, Hit]] = {}
            for path, h in sorted(found, key=lambda e: (e[1].start, len(e[0]), e[0])):
                by_span.setdefault((h.start, h.end, h.alias.text), (path, h))
            evidence = tuple(Evidence(f"{t.id}:{path}", h.alias.text, doc.span(h.start, h.end), h.score)
                             for path, h in by_span.values())
            worst = min((e.score for e in evidence), default=100)
            out.append(TopicMatch(t.id, round(t.score * worst / 100), t.severity, evidence))
        out.sort(key=lambda m: (-m.score, m.topic))
        return out


def _vetoed(h: Hit, vetoes: dict[int, list[Hit]], excludes: dict[int, int]) -> bool:
    """An exclusion hit itself, or a hit inside an exclusion phrase of its entity."""
    if h.key in excludes:
        return True
    inside = vetoes.get(h.key)
    return inside is not None and any(v.start <= h.start and h.end <= v.end for v in inside)


def _group(hits: list[Hit]) -> Hits:
    """Per key, keep the longest/best of overlapping hits, sorted by position. Most keys have
    a single hit, which needs no sorting; hits of one key keep their input order for ties."""
    by_key: dict[int, list[Hit]] = {}
    for h in hits:
        same = by_key.get(h.key)
        if same is None:
            by_key[h.key] = [h]
        else:
            same.append(h)
    for key, same in by_key.items():
        if len(same) > 1:
            by_key[key] = _longest_first(same)
    return by_key


def _longest_first(hits: list[Hit]) -> list[Hit]:
    """Of overlapping hits (one key), the longest, then best scored, then first; by position."""
    kept: list[Hit] = []
    for h in sorted(hits, key=_rank):
        for k in kept:
            if k.start < h.end and h.start < k.end:
                break
        else:
            kept.append(h)
    kept.sort(key=_START)
    return kept


def _rank(h: Hit) -> tuple[int, int, int]:
    return -(h.end - h.start), -h.score, h.start


_START = attrgetter("start")


def _context_holds(h: Hit, hits: Hits, doc: Doc) -> bool:
    window = h.alias.window
    if window == "text":
        lo, hi = 0, len(doc.norm)
    elif window == "sentence":
        lo, hi = doc.sent_bounds[doc.sent[h.start]]
    else:
        assert isinstance(window, int)
        lo, hi = max(0, h.start - window), min(len(doc.norm), h.end + window)
    return evaluate(h.alias.context, hits, doc, lo, hi) is not None


def build_matcher(entities: list[EntitySpec], topics: list[TopicSpec]) -> Matcher:
    """Compile a validated config. Raises ValueError listing reference errors, if any."""
    errors = check_topic_references(entities, topics)
    if errors:
        raise ValueError("; ".join(f"{'.'.join(map(str, p))}: {m}" for p, m in errors))
    entity_keys = {e.id: i for i, e in enumerate(entities)}
    names = {i: f"entity:{e.id}" for i, e in enumerate(entities)}
    aliases: list[CompiledAlias] = []
    contexts: list[tuple[CompiledAlias, Alias, str]] = []
    excludes: dict[int, int] = {}

    def new_key(name: str) -> int:
        names[len(names)] = name
        return len(names) - 1

    def add_aliases(specs: list[Alias], key: int, where: str) -> int:
        for j, spec in enumerate(specs):
            a = compile_alias(as_alias(spec), key)
            aliases.append(a)
            if not isinstance(spec, str) and spec.context is not None:
                contexts.append((a, spec, f"{where}[{j}].context"))
        return key

    def keyword_key(specs: list[Alias], where: str) -> int:
        return add_aliases(specs, new_key(where), where)

    for e in entities:
        add_aliases(e.aliases, entity_keys[e.id], f"entity:{e.id}.aliases")
    for e in entities:
        if e.exclude:
            excludes[add_aliases(list(e.exclude), new_key(f"entity:{e.id}.exclude"), "")] = entity_keys[e.id]
    def weight(key: int) -> int:  # names are rarer in text than vocabularies and keyword lists
        return 1 if names[key].startswith("entity:") and not names[key].startswith("entity:terms-") else 20

    compiled = [CompiledTopic(t.id, t.name, t.severity, t.score,
                              compile_condition(t.rules, "rules", entity_keys.__getitem__,
                                                lambda s, w, t=t: keyword_key(s, f"{t.id}:{w}"), weight))
                for t in topics]
    for a, spec, where in contexts:  # contexts may define keyword lists of their own
        assert not isinstance(spec, str) and spec.context is not None
        node = compile_condition(spec.context, where, entity_keys.__getitem__, keyword_key)
        object.__setattr__(a, "context", node)
    return Matcher(AliasIndex.build(aliases), compiled, names, excludes)
