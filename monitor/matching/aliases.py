"""The alias index: every alias of every entity and keyword list, compiled once.

Why an index: scanning each alias over each item (the naive way) costs O(aliases x text).
Here each text token costs one dict lookup (cached per distinct token), which returns only the
aliases that could start or sit at that token; only those candidate windows are verified, and
only fuzzy candidates pay for a rapidfuzz comparison. Cost grows with the text and the number of
candidates, not with the number of aliases.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from rapidfuzz import fuzz

from monitor.config.topics import AliasSpec
from monitor.matching.text import TOKEN_RE, Doc, clean, fold, forms

FUZZY_BLOCK = 3  # fuzzy candidates share a word's first 3 letters with the alias
_CACHE_MAX = 100_000


@dataclass(frozen=True, slots=True, eq=False)
class CompiledAlias:
    """One alias ready to match; `key` is the entity / keyword list / exclusion it feeds."""

    key: int
    text: str
    words: tuple[str, ...]
    prefix: tuple[bool, ...]
    cs_words: tuple[str, ...] | None  # case-kept words when case_sensitive
    mode: str
    threshold: int
    regex: re.Pattern[str] | None
    window: str | int
    context: Any = None  # a rules.Node, attached by the engine


class Hit(NamedTuple):
    """An alias found at tokens [start, end) with a 0-100 similarity score.

    A NamedTuple rather than a frozen dataclass: just as immutable, and about 2.5x cheaper to
    create, which counts because an item about the story yields dozens of hits."""

    key: int
    start: int
    end: int
    score: int
    alias: CompiledAlias


def _words(text: str, case_sensitive: bool) -> tuple[list[str], list[bool]]:
    words: list[str] = []
    prefix: list[bool] = []
    cleaned = clean(text)
    for m in TOKEN_RE.finditer(cleaned):
        words.append(fold(m.group(), case_sensitive))
        prefix.append(cleaned[m.end() : m.end() + 1] == "*")
    return words, prefix


def compile_alias(spec: AliasSpec, key: int) -> CompiledAlias:
    words, prefix = _words(spec.text, False)
    cs = tuple(_words(spec.text, True)[0]) if spec.case_sensitive else None
    regex = re.compile(spec.text) if spec.mode == "regex" else None
    return CompiledAlias(key, spec.text, tuple(words), tuple(prefix), cs, spec.mode,
                         spec.threshold, regex, spec.window)


@dataclass(frozen=True, slots=True)
class Candidates:
    """Aliases that may start at one token: accepted at once, keyed by their next word (with
    whether the rest still needs a word-by-word check: a plain two-word alias is found once its
    second word is), to verify word by word, and fuzzy aliases with the offset of the word that
    matched."""

    direct: tuple[CompiledAlias, ...]
    by_next: dict[str, tuple[tuple[CompiledAlias, bool], ...]]
    check: tuple[CompiledAlias, ...]
    fuzzy: tuple[tuple[CompiledAlias, int], ...]

    def __bool__(self) -> bool:
        return bool(self.direct or self.by_next or self.check or self.fuzzy)


_NONE = Candidates((), {}, (), ())


@dataclass
class AliasIndex:
    """Token -> candidate aliases. Read-only after build; the lookup cache is benign to race."""

    exact: dict[str, list[CompiledAlias]] = field(default_factory=dict)
    prefixed: dict[str, list[CompiledAlias]] = field(default_factory=dict)
    fuzzy: dict[str, list[tuple[CompiledAlias, int]]] = field(default_factory=dict)
    regexes: list[CompiledAlias] = field(default_factory=list)
    _lengths: list[int] = field(default_factory=list)
    _cache: dict[str, Candidates] = field(default_factory=dict)
    _cold: set[str] = field(default_factory=set)  # cached tokens with no candidates (most words)

    @classmethod
    def build(cls, aliases: Sequence[CompiledAlias]) -> AliasIndex:
        index = cls()
        for a in aliases:
            if a.mode == "regex":
                index.regexes.append(a)
            elif a.mode == "fuzzy":
                for k, w in enumerate(a.words):
                    index.fuzzy.setdefault(w[:FUZZY_BLOCK], []).append((a, k))
            elif a.words:
                table = index.prefixed if a.prefix[0] else index.exact
                table.setdefault(a.words[0], []).append(a)
        index._lengths = sorted({len(k) for k in index.prefixed})
        return index

    def candidates(self, token: str) -> Candidates:
        """What may start (or, for fuzzy aliases, sit) at this token; cached per token."""
        got = self._cache.get(token)
        if got is not None:
            return got
        starts: list[CompiledAlias] = []
        fuzzy: list[tuple[CompiledAlias, int]] = []
        for f in forms(token):
            starts.extend(self.exact.get(f, ()))
            for n in self._lengths:
                if n <= len(f):
                    starts.extend(self.prefixed.get(f[:n], ()))
            fuzzy.extend(self.fuzzy.get(f[:FUZZY_BLOCK], ()))
        direct: list[CompiledAlias] = []
        by_next: dict[str, list[CompiledAlias]] = {}
        check: list[CompiledAlias] = []
        for a in dict.fromkeys(starts):
            if len(a.words) == 1 and a.cs_words is None:
                direct.append(a)
            elif len(a.words) > 1 and not a.prefix[1]:  # the next word filters most of them out
                by_next.setdefault(a.words[1], []).append(a)
            else:
                check.append(a)
        result = Candidates(tuple(direct), {k: tuple((a, _needs_check(a)) for a in v) for k, v in by_next.items()},
                            tuple(check), tuple(dict.fromkeys(fuzzy)))
        if len(self._cache) > _CACHE_MAX:
            self._cache.clear()
            self._cold.clear()
        if not result:
            result = _NONE
            self._cold.add(token)
        self._cache[token] = result
        return result

    def find(self, doc: Doc) -> list[Hit]:
        """Every alias occurrence in the document (before context rules and exclusions)."""
        hits: list[Hit] = []
        norm = doc.norm
        last = len(norm) - 1
        cache = self._cache
        cold = self._cold
        tried: set[tuple[int, int]] = set()
        # one pass drops the words already known to start nothing (most of them)
        for i in [i for i, tok in enumerate(norm) if tok not in cold]:
            c = cache.get(norm[i])
            if c is None:  # a word not seen yet (or another thread cleared the cache)
                c = self.candidates(norm[i])
            if c is _NONE:
                continue
            for alias in c.direct:
                hits.append(Hit(alias.key, i, i + 1, 100, alias))
            for alias in c.check:
                if _exact_at(alias, doc, i):
                    hits.append(Hit(alias.key, i, i + len(alias.words), 100, alias))
            if c.by_next and i < last:
                for f in forms(norm[i + 1]):
                    for alias, needs_check in c.by_next.get(f, ()):
                        if not needs_check or _exact_at(alias, doc, i, 2):
                            hits.append(Hit(alias.key, i, i + len(alias.words), 100, alias))
            for alias, k in c.fuzzy:
                start = i - k
                if start >= 0 and (id(alias), start) not in tried:
                    tried.add((id(alias), start))
                    hit = _fuzzy_at(alias, doc, start)
                    if hit is not None:
                        hits.append(hit)
        if self.regexes:
            hits.extend(_regex_hits(self.regexes, doc))
        return hits


def _needs_check(alias: CompiledAlias) -> bool:
    """Whether a multi-word alias found by its first two words must still be checked word by
    word: only when it has more words or compares case (`by_next` already matched word 2)."""
    return len(alias.words) > 2 or alias.cs_words is not None


def _exact_at(alias: CompiledAlias, doc: Doc, i: int, first: int = 1) -> bool:
    """Whether the alias's words from `first` on (and its case, if kept) match at token i; the
    index lookups already matched the words before `first`."""
    words, prefix, norm = alias.words, alias.prefix, doc.norm
    n = len(words)
    if i + n > len(norm):
        return False
    for j in range(first, n):
        w, t = words[j], norm[i + j]
        if t == w or (prefix[j] and t.startswith(w)):
            continue
        if t.isascii() or not any(f == w or (prefix[j] and f.startswith(w)) for f in forms(t)[1:]):
            return False
    if alias.cs_words is not None:
        for j, w in enumerate(alias.cs_words):
            raw = fold(doc.raw(i + j), True)
            if not (raw == w or (prefix[j] and raw.startswith(w))):
                return False
    return True


def _fuzzy_at(alias: CompiledAlias, doc: Doc, start: int) -> Hit | None:
    target = " ".join(alias.words)
    best: tuple[float, int] = (0.0, 0)
    n = len(alias.words)
    for size in (n, n - 1, n + 1):
        if size < 1 or start + size > len(doc.norm):
            continue
        score = fuzz.ratio(" ".join(doc.norm[start : start + size]), target, score_cutoff=alias.threshold)
        if score > best[0]:
            best = (score, size)
    if not best[1]:
        return None
    end = start + best[1]
    if alias.cs_words is not None and not fold(doc.raw(start), True)[:1] == alias.cs_words[0][:1]:
        return None
    return Hit(alias.key, start, end, int(best[0]), alias)


def _regex_hits(aliases: list[CompiledAlias], doc: Doc) -> list[Hit]:
    """Regex aliases run over the folded tokens joined by spaces, aligned to whole tokens."""
    starts: dict[int, int] = {}
    ends: dict[int, int] = {}
    pos = 0
    for i, tok in enumerate(doc.norm):
        starts[pos] = i
        pos += len(tok)
        ends[pos] = i + 1
        pos += 1
    joined = " ".join(doc.norm)
    hits: list[Hit] = []
    for alias in aliases:
        assert alias.regex is not None
        for m in alias.regex.finditer(joined):
            a, b = starts.get(m.start()), ends.get(m.end())
            if a is not None and b is not None and b > a:
                hits.append(Hit(alias.key, a, b, 100, alias))
    return hits
