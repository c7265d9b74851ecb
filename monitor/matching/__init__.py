"""Topic matching: entities and keywords in any script -> topics with evidence.

Pure code (no I/O besides `load_rows`). Build once with `build_matcher`, then call
`Matcher.match` from any thread. See docs/matching.md for the rule grammar.
"""

from alerts.model import Evidence
from monitor.matching.engine import Matcher, TopicMatch, build_matcher
from monitor.matching.evaluate import EvalReport, evaluate, format_report, load_rows, load_specs
from monitor.matching.explain import explain

__all__ = [
    "EvalReport",
    "Evidence",
    "Matcher",
    "TopicMatch",
    "build_matcher",
    "evaluate",
    "explain",
    "format_report",
    "load_rows",
    "load_specs",
]
