"""Matching benchmark: our indexed matcher vs a naive rapidfuzz scan, on the same items.

Run: `python bench/bench_matching.py` (`make bench`). Prints, for 100 / 1,000 / 10,000
synthesized aliases: items/s of each matcher, the speed ratio, and how well the two agree on
the aliases planted in the items (which both should find); then items/s of the default config
on one core, and peak memory. Items are generated here (deterministic seed), never read from
eval data. Speed claims live here as ratios measured in the same run, not in tests.
"""

from __future__ import annotations

import random
import resource
import sys
import time
import tracemalloc
from pathlib import Path

from rapidfuzz import fuzz

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from monitor.config.topics import EntitySpec, TopicSpec  # noqa: E402
from monitor.matching import build_matcher, load_specs  # noqa: E402
from monitor.matching.engine import Matcher  # noqa: E402

SEED = 20250613
NAIVE_THRESHOLD = 90
SYLLABLES = ["ka", "lo", "mi", "zu", "ter", "von", "ria", "bex", "dal", "qua", "nor", "sil", "tav", "orn",
             "pel", "gri", "hux", "jem", "wyn", "cas", "fen", "lor", "mab", "ost"]
FILLER = ("the company said on Monday that its quarterly results beat expectations while analysts "
          "remain cautious about growth in cloud services advertising and hardware sales across "
          "Europe and Asia as regulators review new rules for data privacy and online markets").split()
STORY = [
    ("Google pauses work with Scale AI after Meta stake", "OpenAI also cut ties with the data-labeling firm."),
    ("Meta names Alexandr Wang to lead superintelligence lab", "Wang will report to Mark Zuckerberg."),
    ("ميتا تستثمر 14.3 مليار دولار في سكيل إيه آي", "وتعين ألكسندر وانغ لقيادة فريق الذكاء الفائق."),
    ("Economies of scale drive chip prices down", "Suppliers expect metadata tooling demand to grow."),
    ("Alexander Wang shows spring collection", "The designer returned to New York Fashion Week."),
]


def synth_names(n: int, rng: random.Random) -> list[str]:
    """n distinct two-word pseudo-names ("Kalomi Terria"), deterministic."""
    names: set[str] = set()
    while len(names) < n:
        first = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3)))
        last = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3)))
        names.add(f"{first.capitalize()} {last.capitalize()}")
    return sorted(names)


def make_items(n: int, planted: list[str], rng: random.Random) -> list[tuple[str, str, str | None]]:
    """(title, summary, planted alias or None): one item in three carries a planted alias,
    one in ten a line from the story (or its traps), the rest is filler news."""
    items: list[tuple[str, str, str | None]] = []
    for i in range(n):
        words = rng.sample(FILLER, 9)
        summary = " ".join(rng.sample(FILLER, 28)) + "."
        alias = planted[i % len(planted)] if i % 3 == 0 else None
        if alias is not None:
            words.insert(rng.randint(0, len(words)), alias)
        if i % 10 == 1:
            title, summary = STORY[i % len(STORY)]
            items.append((title, summary, None))
            continue
        items.append((" ".join(words).capitalize(), summary, alias))
    return items


def synth_matcher(names: list[str]) -> Matcher:
    entities = [EntitySpec(id=f"e{i}", name=name, aliases=[name]) for i, name in enumerate(names)]
    topics = [TopicSpec.model_validate({"id": f"t{i}", "name": name, "rules": {"all_of": [{"entity": f"e{i}"}]}})
              for i, name in enumerate(names)]
    return build_matcher(entities, topics)


def naive_match(aliases: list[str], title: str, summary: str) -> set[str]:
    text = f"{title} {summary}".lower()
    return {a for a in aliases if fuzz.partial_ratio(a.lower(), text, score_cutoff=NAIVE_THRESHOLD)}


def rate(n_items: int, seconds: float) -> float:
    return n_items / seconds if seconds > 0 else float("inf")


def compare(n_aliases: int, rng: random.Random) -> None:
    names = synth_names(n_aliases, rng)
    planted = rng.sample(names, min(50, len(names)))
    items = make_items(3000, planted, rng)
    matcher = synth_matcher(names)
    t0 = time.perf_counter()
    ours = [{m.topic for m in matcher.match(t, s)} for t, s, _ in items]
    ours_rate = rate(len(items), time.perf_counter() - t0)
    n_naive = max(60, min(len(items), 200_000 // n_aliases))  # the naive scan is slow: sample
    t0 = time.perf_counter()
    naive = [naive_match(names, t, s) for t, s, _ in items[:n_naive]]
    naive_rate = rate(n_naive, time.perf_counter() - t0)
    topic_of = {name: f"t{i}" for i, name in enumerate(names)}
    both = ours_found = naive_found = expected = 0
    for (_, _, alias), got, naive_got in zip(items, ours, naive, strict=False):
        if alias is None:
            continue
        expected += 1
        a, b = topic_of[alias] in got, alias in naive_got
        ours_found += a
        naive_found += b
        both += a and b
    print(f"{n_aliases:>7} aliases | ours {ours_rate:>10,.0f} items/s | naive {naive_rate:>8,.1f} items/s "
          f"| ratio {ours_rate / naive_rate:>8,.0f}x | planted found: ours {ours_found}/{expected}, "
          f"naive {naive_found}/{expected}, agreement {both}/{expected}")


def default_config_rate(rng: random.Random) -> None:
    entities, topics = load_specs(ROOT / "config" / "topics.yaml")
    matcher = build_matcher(entities, topics)
    items = make_items(20_000, ["Scale AI", "Meta", "Llama 4"], rng)
    for t, s, _ in items[:200]:  # warm the per-token cache, as a running worker would be
        matcher.match(t, s)
    t0 = time.perf_counter()
    matched = sum(1 for t, s, _ in items if matcher.match(t, s))
    seconds = time.perf_counter() - t0
    print(f"default config: {rate(len(items), seconds):,.0f} items/s on one core "
          f"({len(items):,} items, {matched:,} with a topic; target >= 20,000)")


def main() -> None:
    rng = random.Random(SEED)
    print("matcher vs naive rapidfuzz.partial_ratio scan (threshold 90), same items")
    for n in (100, 1_000, 10_000):
        compare(n, rng)
    default_config_rate(rng)
    tracemalloc.start()
    synth_matcher(synth_names(10_000, random.Random(SEED)))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    maxrss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"peak memory: {peak / 2**20:.1f} MiB traced while compiling 10,000 aliases; "
          f"process max RSS {maxrss_kb / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
