"""Regression guard: the default config on the independent probe set (tests/data/probe.jsonl,
220 items written by a separate labeler; rules were tuned on half of it, the other half held out).

Thresholds are the micro precision/recall reached when this guard was written (P 0.993, R 0.950)
minus a small margin: a rule change that loses recall or lets hard negatives through fails here.
"""

from __future__ import annotations

from pathlib import Path

from monitor.matching import build_matcher, evaluate, load_specs
from monitor.matching.evaluate import load_rows

ROOT = Path(__file__).resolve().parent.parent
PROBE = ROOT / "tests" / "data" / "probe.jsonl"
MIN_PRECISION = 0.97
MIN_RECALL = 0.92
MIN_TOPIC_PRECISION = 0.90  # every topic, not only the sum of them
MIN_TOPIC_RECALL = 0.85


def test_probe_micro_precision_and_recall() -> None:
    matcher = build_matcher(*load_specs(ROOT / "config" / "topics.yaml"))
    rows = load_rows(PROBE)
    assert len(rows) == 220
    report = evaluate(matcher, rows)
    tp = sum(s.tp for s in report.scores)
    fp = sum(s.fp for s in report.scores)
    fn = sum(s.fn for s in report.scores)
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    assert precision >= MIN_PRECISION, (precision, [e for e in report.errors if e.kind == "false_alarm"])
    assert recall >= MIN_RECALL, (recall, [e for e in report.errors if e.kind == "miss"])
    for s in report.scores:
        assert s.precision >= MIN_TOPIC_PRECISION, s
        assert s.recall >= MIN_TOPIC_RECALL, s


# A second independent labeler's probe (tests/data/probe2.jsonl, 264 items; rules were tuned on the
# even ids, the odd ids held out). Reached P 1.00 / R 0.97 (holdout half alone: P 1.00 / R 0.94);
# thresholds keep a margin.
PROBE2 = ROOT / "tests" / "data" / "probe2.jsonl"
MIN_PRECISION_2 = 0.97
MIN_RECALL_2 = 0.93
MIN_TOPIC_PRECISION_2 = 0.90
MIN_TOPIC_RECALL_2 = 0.83


def test_probe2_micro_precision_and_recall() -> None:
    matcher = build_matcher(*load_specs(ROOT / "config" / "topics.yaml"))
    rows = load_rows(PROBE2)
    assert len(rows) == 264
    report = evaluate(matcher, rows)
    tp = sum(s.tp for s in report.scores)
    fp = sum(s.fp for s in report.scores)
    fn = sum(s.fn for s in report.scores)
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    assert precision >= MIN_PRECISION_2, (precision, [e for e in report.errors if e.kind == "false_alarm"])
    assert recall >= MIN_RECALL_2, (recall, [e for e in report.errors if e.kind == "miss"])
    for s in report.scores:
        assert s.precision >= MIN_TOPIC_PRECISION_2, s
        assert s.recall >= MIN_TOPIC_RECALL_2, s


# A third independent labeler's probe in search-page style (tests/data/probe3.jsonl, 230 items;
# rules were tuned on the even ids, the odd ids held out). Four deal labels were corrected to the dev
# convention (r0010, r0011, r0015, r0094: the stake or the interim CEO's post-deal strategy is the
# subject). Reached P 1.00 / R 1.00 on both halves; thresholds keep a margin.
PROBE3 = ROOT / "tests" / "data" / "probe3.jsonl"
MIN_PRECISION_3 = 0.97
MIN_RECALL_3 = 0.95
MIN_TOPIC_PRECISION_3 = 0.90
MIN_TOPIC_RECALL_3 = 0.88


def test_probe3_micro_precision_and_recall() -> None:
    matcher = build_matcher(*load_specs(ROOT / "config" / "topics.yaml"))
    rows = load_rows(PROBE3)
    assert len(rows) == 230
    report = evaluate(matcher, rows)
    tp = sum(s.tp for s in report.scores)
    fp = sum(s.fp for s in report.scores)
    fn = sum(s.fn for s in report.scores)
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    assert precision >= MIN_PRECISION_3, (precision, [e for e in report.errors if e.kind == "false_alarm"])
    assert recall >= MIN_RECALL_3, (recall, [e for e in report.errors if e.kind == "miss"])
    for s in report.scores:
        assert s.precision >= MIN_TOPIC_PRECISION_3, s
        assert s.recall >= MIN_TOPIC_RECALL_3, s


# A fourth independent labeler's probe (tests/data/probe4.jsonl, 219 items; rules were tuned on the
# even ids, the odd ids held out). Before tuning: P 0.908 / R 0.894. Reached P 0.978 / R 0.992 (tune
# half P 1.00 / R 1.00; holdout half alone P 0.955 / R 0.984); thresholds keep a margin.
PROBE4 = ROOT / "tests" / "data" / "probe4.jsonl"
MIN_PRECISION_4 = 0.95
MIN_RECALL_4 = 0.96
MIN_TOPIC_PRECISION_4 = 0.88
MIN_TOPIC_RECALL_4 = 0.88


def test_probe4_micro_precision_and_recall() -> None:
    matcher = build_matcher(*load_specs(ROOT / "config" / "topics.yaml"))
    rows = load_rows(PROBE4)
    assert len(rows) == 219
    report = evaluate(matcher, rows)
    tp = sum(s.tp for s in report.scores)
    fp = sum(s.fp for s in report.scores)
    fn = sum(s.fn for s in report.scores)
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    assert precision >= MIN_PRECISION_4, (precision, [e for e in report.errors if e.kind == "false_alarm"])
    assert recall >= MIN_RECALL_4, (recall, [e for e in report.errors if e.kind == "miss"])
    for s in report.scores:
        assert s.precision >= MIN_TOPIC_PRECISION_4, s
        assert s.recall >= MIN_TOPIC_RECALL_4, s


# A fifth independent labeler's probe (tests/data/probe5.jsonl, 167 items; rules were tuned on the
# even ids, the odd ids held out). Reached P 0.952 / R 1.00 (holdout half alone: P 0.943 / R 1.00);
# the remaining false alarms are stake terms in customers stories (t0003, t0005), "Wang named Chief AI
# Officer" as talent (t0015), a passing "poached" (t0016) and "LeCun will report to Wang" (t0018),
# which probes 1-3 label as talent. Thresholds keep a margin.
PROBE5 = ROOT / "tests" / "data" / "probe5.jsonl"
MIN_PRECISION_5 = 0.92
MIN_RECALL_5 = 0.96
MIN_TOPIC_PRECISION_5 = 0.80
MIN_TOPIC_RECALL_5 = 0.90


def test_probe5_micro_precision_and_recall() -> None:
    matcher = build_matcher(*load_specs(ROOT / "config" / "topics.yaml"))
    rows = load_rows(PROBE5)
    assert len(rows) == 167
    report = evaluate(matcher, rows)
    tp = sum(s.tp for s in report.scores)
    fp = sum(s.fp for s in report.scores)
    fn = sum(s.fn for s in report.scores)
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    assert precision >= MIN_PRECISION_5, (precision, [e for e in report.errors if e.kind == "false_alarm"])
    assert recall >= MIN_RECALL_5, (recall, [e for e in report.errors if e.kind == "miss"])
    for s in report.scores:
        assert s.precision >= MIN_TOPIC_PRECISION_5, s
        assert s.recall >= MIN_TOPIC_RECALL_5, s
