"""Topic rules compiled to a small tree and evaluated over the hits of one item.

A rule never looks at text: it looks at hits (entity and keyword occurrences with token
positions and sentence ids), which keeps evaluation cheap and lets proximity (`within`) be a
question about positions. Evaluation returns the evidence that satisfied the rule, so every
match can say why it fired.
"""

from __future__ import annotations

from collections.abc import Callable, Container
from dataclasses import dataclass

from monitor.config.topics import Alias, Condition
from monitor.matching.aliases import Hit
from monitor.matching.text import Doc

Hits = dict[int, list[Hit]]  # key -> hits sorted by start
Evidence = list[tuple[str, Hit]]  # (rule path, hit)


@dataclass(frozen=True, slots=True, eq=False)
class Node:
    """A compiled condition: leaves (keys that must be present) and child groups."""

    path: str
    leaves: tuple[tuple[int, str], ...]
    all_of: tuple[Node, ...]
    any_of: tuple[Node, ...]
    none_of: tuple[Node, ...]
    at_least: int
    within: str | int | None
    keys: frozenset[int]  # every key a positive part refers to (windows, quick rejects)
    must: frozenset[int]  # keys without which the node cannot hold (leaves and all_of leaves)
    trigger: frozenset[int] | None  # the node can only hold if one of these is present
    # The (key, path) of a node that is one leaf and nothing else (`{entity: meta}`), most children
    # in practice: its parent tests the key itself rather than recursing through evaluate/_parts.
    leaf: tuple[int, str] | None = None


def _trigger(leaves: list[tuple[int, str]], all_of: tuple[Node, ...], any_of: tuple[Node, ...],
             weight: Callable[[int], int]) -> frozenset[int] | None:
    """A small key set of which one must be present: lets the matcher skip topics cheaply.
    Rare keys (names) are preferred over common ones (vocabularies), per `weight`."""
    options: list[frozenset[int]] = [frozenset([k]) for k, _ in leaves]
    options += [c.trigger for c in all_of if c.trigger is not None]
    if any_of and all(c.trigger is not None for c in any_of):
        options.append(frozenset().union(*(c.trigger for c in any_of if c.trigger is not None)))
    return min(options, key=lambda ks: (sum(map(weight, ks)), sorted(ks)), default=None)


def compile_condition(
    cond: Condition,
    path: str,
    entity_key: Callable[[str], int],
    keyword_key: Callable[[list[Alias], str], int],
    weight: Callable[[int], int] = lambda k: 1,
) -> Node:
    """Turn a validated Condition into a Node; entity ids and keyword lists become keys."""
    leaves: list[tuple[int, str]] = []
    if cond.entity is not None:
        leaves.append((entity_key(cond.entity), f"{path}.entity:{cond.entity}"))
    if cond.keywords is not None:
        leaves.append((keyword_key(cond.keywords, f"{path}.keywords"), f"{path}.keywords"))

    def children(part: str) -> tuple[Node, ...]:
        conds: list[Condition] = getattr(cond, part) or []
        return tuple(compile_condition(c, f"{path}.{part}[{i}]", entity_key, keyword_key, weight)
                     for i, c in enumerate(conds))

    all_of, any_of, none_of = children("all_of"), children("any_of"), children("none_of")
    keys = frozenset(k for k, _ in leaves).union(*(c.keys for c in all_of + any_of))
    must = frozenset(k for k, _ in leaves).union(*(c.must for c in all_of))
    trigger = _trigger(leaves, all_of, any_of, weight)
    leaf = leaves[0] if len(leaves) == 1 and not (all_of or any_of or none_of) and cond.within is None else None
    return Node(path, tuple(leaves), all_of, any_of, none_of, cond.at_least, cond.within, keys, must, trigger,
                leaf)


def possible(node: Node, keys: Container[int]) -> bool:
    """Whether `node` could hold for an item whose hits have only these keys. Windows and
    none_of are left out, so this is a necessary condition of `evaluate`, not a sufficient one;
    it needs no positions, which makes it a cheap first question for the many items that name
    a topic's subject but little else of its rule."""
    for k in node.must:
        if k not in keys:
            return False
    for child in node.all_of:
        if not possible(child, keys):
            return False
    need = node.at_least if node.any_of else 0
    for child in node.any_of:
        if need == 0:
            break
        if possible(child, keys):
            need -= 1
    return need == 0


def _best_in(hits: list[Hit] | None, lo: int, hi: int) -> Hit | None:
    best: Hit | None = None
    for h in hits or ():
        if h.start >= hi:
            break
        if h.start >= lo and h.end <= hi and (best is None or h.score > best.score):
            best = h
    return best


def _windows(node: Node, hits: Hits, doc: Doc, lo: int, hi: int) -> list[tuple[int, int]]:
    """Where inside [lo, hi) `node`'s parts are tried, in order (the first that holds gives the
    evidence): the title; or each sentence, or the N words around each hit, of the node's keys.
    Only keys with hits are visited, and a window is listed once: trying it again could only
    fail again."""
    within = node.within
    if within == "title":
        return [(lo, min(hi, doc.n_title))] if doc.n_title > lo else []
    if not node.keys:
        return [(lo, hi)]
    found = [h for k in hits.keys() & node.keys for h in hits[k] if h.start >= lo and h.end <= hi]
    if within == "sentence":
        sent, bounds = doc.sent, doc.sent_bounds
        return [(max(lo, bounds[s][0]), min(hi, bounds[s][1])) for s in sorted({sent[h.start] for h in found})]
    assert isinstance(within, int)
    spans = sorted({(h.start, h.end) for h in found})
    return [(max(lo, start - within), min(hi, end + within)) for start, end in spans]


def evaluate(node: Node, hits: Hits, doc: Doc, lo: int, hi: int) -> Evidence | None:
    """Evidence if `node` holds inside tokens [lo, hi), else None. Deterministic."""
    for k in node.must:
        if k not in hits:
            return None
    if node.within is None:
        return _parts(node, hits, doc, lo, hi)
    for a, b in _windows(node, hits, doc, lo, hi):
        found = _parts(node, hits, doc, a, b)
        if found is not None:
            return found
    return None


def _parts(node: Node, hits: Hits, doc: Doc, lo: int, hi: int) -> Evidence | None:
    evidence: Evidence = []
    for key, path in node.leaves:
        h = _best_in(hits.get(key), lo, hi)
        if h is None:
            return None
        evidence.append((path, h))
    for child in node.all_of:
        if child.leaf is not None:  # `evaluate` of a lone leaf, without its two calls
            h = _best_in(hits.get(child.leaf[0]), lo, hi)
            if h is None:
                return None
            evidence.append((child.leaf[1], h))
            continue
        found = evaluate(child, hits, doc, lo, hi)
        if found is None:
            return None
        evidence.extend(found)
    if node.any_of:
        count = 0
        for child in node.any_of:
            if child.leaf is not None:
                h = _best_in(hits.get(child.leaf[0]), lo, hi)
                if h is not None:
                    count += 1
                    evidence.append((child.leaf[1], h))
                continue
            found = evaluate(child, hits, doc, lo, hi)
            if found is not None:
                count += 1
                evidence.extend(found)
        if count < node.at_least:
            return None
    for child in node.none_of:
        if child.leaf is not None:
            if _best_in(hits.get(child.leaf[0]), lo, hi) is not None:
                return None
        elif evaluate(child, hits, doc, lo, hi) is not None:
            return None
    return evidence


def describe(node: Node, hits: Hits, doc: Doc, names: dict[int, str], depth: int = 0) -> list[str]:
    """Indented lines saying which parts of a rule hold over the whole item (for near-misses)."""
    lines: list[str] = []
    pad = "  " * depth
    ok = evaluate(node, hits, doc, 0, len(doc.norm)) is not None
    where = f" within {node.within}" if node.within is not None else ""
    lines.append(f"{pad}{'✓' if ok else '✗'} {node.path.rsplit('.', 1)[-1]}{where}")
    for key, _ in node.leaves:
        found = [doc.span(h.start, h.end) for h in hits.get(key, ())]
        lines.append(f"{pad}  {'✓' if found else '✗'} {names[key]}: {', '.join(found[:3]) or 'not found'}")
    for child in node.all_of + node.any_of + node.none_of:
        lines.extend(describe(child, hits, doc, names, depth + 1))
    return lines
