"""Human-readable answers to "does this headline match, and why (not)?".

Used by `monitor topics test` and by evaluation reports: operators fix rules faster when they
see which entities were found, which contextual aliases were rejected, and which part of a
topic rule failed.
"""

from __future__ import annotations

from monitor.matching.engine import Matcher
from monitor.matching.rules import describe


def explain(matcher: Matcher, text: str, summary: str = "", verbose: bool = False) -> str:
    """Matches with evidence, then entities found, rejected aliases and near-miss topics (one
    line each; with `verbose`, each near miss's rule tree with ✓/✗ per part)."""
    resolved = matcher.resolve(text, summary)
    doc, hits = resolved.doc, resolved.hits
    matches = matcher.match_resolved(resolved) if hits else []
    lines: list[str] = []
    if matches:
        for m in matches:
            lines.append(f"MATCH {m.topic} ({matcher.topic_names[m.topic]}) score={m.score} severity={m.severity}")
            for e in m.evidence:
                lines.append(f"    {e.rule}: alias {e.alias!r} matched {e.text!r} (score {e.score})")
    else:
        lines.append("no topic matches")
    found = [(matcher.key_names[k], doc.span(h.start, h.end), h.alias.text)
             for k, hs in sorted(hits.items()) for h in hs if matcher.key_names[k].startswith("entity:")]
    if found:
        lines.append("entities found:")
        lines.extend(f"    {name}: {span!r} via alias {alias!r}" for name, span, alias in found)
    if resolved.rejected:
        lines.append("aliases found but their context did not hold:")
        lines.extend(f"    {matcher.key_names[h.key]}: {doc.span(h.start, h.end)!r} via alias {h.alias.text!r}"
                     for h in resolved.rejected)
    matched = {m.topic for m in matches}
    misses = []
    for t in matcher.topics:
        if t.id in matched or t.rule.keys.isdisjoint(hits.keys()):
            continue
        used = sorted(matcher.key_names[k].removeprefix("entity:") for k in t.rule.keys & hits.keys())
        if verbose:
            lines.append(f"near miss {t.id}:")
            lines.extend(f"    {line}" for line in describe(t.rule, hits, doc, matcher.key_names))
        elif any(not u.startswith("terms-") for u in used):
            misses.append(f"    {t.id}: found {', '.join(used)}")
    if misses:
        lines.append("near misses (the topic's entities were found, its rule did not hold; --verbose shows why):")
        lines.extend(misses)
    return "\n".join(lines)


def near_misses(matcher: Matcher, title: str, summary: str, topic: str) -> str:
    """Why one topic did not match this item (the rule tree with ✓/✗ per part)."""
    resolved = matcher.resolve(title, summary)
    for t in matcher.topics:
        if t.id == topic:
            return "\n".join(describe(t.rule, resolved.hits, resolved.doc, matcher.key_names))
    return f"topic {topic!r} is not in the config"
