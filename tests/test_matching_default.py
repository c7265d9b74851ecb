"""The default config (config/topics.yaml) on hand-written headlines: each hard case of the
story, in English and Arabic. Sentences are written for these tests, not taken from eval data."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.matching import Matcher, build_matcher, load_specs

TOPICS = Path(__file__).resolve().parent.parent / "config" / "topics.yaml"
SEVEN = {"scale-customers-exit", "wang-meta-role", "scale-labor-legal", "meta-scale-deal", "meta-ai-talent",
         "llama4-benchmarks", "meta-defense"}


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return build_matcher(*load_specs(TOPICS))


def test_the_seven_topic_ids(matcher: Matcher) -> None:
    assert set(matcher.topic_names) == SEVEN


POSITIVE = [
    ("xAI and Microsoft are winding down their projects with Scale AI", "Both fear Meta could see their data.", "scale-customers-exit"),
    ("سكيل إيه آي تخسر عملاءها بعد صفقة ميتا", "أوقفت جوجل مشاريعها مع الشركة.", "scale-customers-exit"),
    ("Zuckerberg names Alexandr Wang chief AI officer", "Meta reorganizes its AI groups.", "wang-meta-role"),
    ("Meta researchers chafe at reporting to Alexander Wang", "Staff question the new AI chief.", "wang-meta-role"),
    ("ألكسندر وانغ يتولى قيادة جميع عمليات الذكاء الاصطناعي في ميتا", "", "wang-meta-role"),
    ("تعيين وانج رئيسا لمختبر الذكاء الفائق في ميتا", "", "wang-meta-role"),
    ("Scale AI sued by contractors over unpaid wages", "", "scale-labor-legal"),
    ("Labor Department closes probe into Scale AI", "", "scale-labor-legal"),
    ("دعوى قضائية جديدة ضد سكيل إيه آي بسبب أجور المتعاقدين", "", "scale-labor-legal"),
    ("Meta to invest $14.3 billion in Scale AI", "", "meta-scale-deal"),
    ("Senators ask FTC to review Meta's Scale AI deal", "", "meta-scale-deal"),
    ("Lucy Guo's windfall from the Meta deal", "", "meta-scale-deal"),
    ("ميتا تستحوذ على حصة 49% في سكيل إيه آي", "", "meta-scale-deal"),
    ("Meta invests in ScaleAI", "", "meta-scale-deal"),
    ("Meta invests in Scale A.I.", "", "meta-scale-deal"),
    ("ميتا تستثمر في سكايل إيه آي", "", "meta-scale-deal"),
    ("مِيتَا تستثمر في سكيل إيه آي", "", "meta-scale-deal"),
    ("Meta invests in Sca\u200ble AI", "", "meta-scale-deal"),
    ("Me\u200dta invests in \u202bScale AI\u202c", "", "meta-scale-deal"),
    ("Meta poaches Google DeepMind researcher for its superintelligence lab", "", "meta-ai-talent"),
    ("Meta held talks to acquire Perplexity", "", "meta-ai-talent"),
    ("يان لوكون يغادر ميتا لتأسيس شركة ناشئة", "", "meta-ai-talent"),
    ("ميتا تعرض مكافآت ضخمة لاستقطاب باحثي الذكاء الاصطناعي", "", "meta-ai-talent"),
    ("Did Meta game the Llama 4 benchmarks?", "", "llama4-benchmarks"),
    ("ميتا متهمة بالتلاعب بنتائج Llama 4", "", "llama4-benchmarks"),
    ("Meta and Anduril team up on headsets for the Army", "", "meta-defense"),
    ("Scale AI wins Pentagon contract", "", "meta-defense"),
    ("ميتا تتيح نماذج Llama للجيش الأمريكي", "", "meta-defense"),
    ("Alexandr Wang urges Washington to win the AI race", "The Scale AI founder now works at Meta.", "meta-defense"),
]


@pytest.mark.parametrize(("title", "summary", "topic"), POSITIVE)
def test_follow_ups_match(matcher: Matcher, title: str, summary: str, topic: str) -> None:
    got = {m.topic: m for m in matcher.match(title, summary)}
    assert topic in got, matcher.match(title, summary)
    assert got[topic].evidence and all(0 < e.score <= 100 for e in got[topic].evidence)


NEGATIVE = [
    ("Economies of scale help chipmakers", "Metadata tools use AI at Scale."),
    ("Alexander Wang unveils fall collection in New York", "The designer showed handbags; Meta's Instagram streamed it."),
    ("المصمم ألكسندر وانغ يقدم مجموعته الجديدة", "عرض أزياء في نيويورك"),
    ("Wang Yi meets US officials in Washington", "China's foreign minister discussed AI security."),
    ("وانج يي يلتقي نظيره الأمريكي", "وزير الخارجية الصيني يناقش الذكاء الاصطناعي"),
    ("Metadata standards for AI training sets", "A meta-analysis of labeling quality."),
    ("Llamas escape farm in Peru", "The animals were found near a lake."),
    ("حيوان اللاما في جبال الأنديز", ""),
    ("Meta launches cheaper Quest headset", "Meta's VR headsets get new apps."),
    ("Instagram tightens teen account rules", "Meta says the policy applies worldwide."),
    ("Surge AI raises $1B as labeling demand grows", "Rivals Mercor, Turing and Labelbox hire contractors."),
    ("Uber drivers win misclassification lawsuit", "Contractors were underpaid, the court found."),
    ("Palantir wins Army contract for AI targeting", ""),
    ("Scale Venture Partners closes a new fund", ""),
    ("Richter scale reading of 6.1 in Chile", ""),
    ("Meta releases Llama 3.1 with strong benchmarks", ""),
    ("Anduril raises $2.5 billion for weapons factory", "The defense startup is valued at $30 billion."),
    ("EU fines Meta over pay-or-consent model", "Regulators cite the Digital Markets Act."),
    ("إيلير ميتا يعود إلى السياسة في ألبانيا", ""),
]


@pytest.mark.parametrize(("title", "summary"), NEGATIVE)
def test_traps_do_not_match(matcher: Matcher, title: str, summary: str) -> None:
    assert matcher.match(title, summary) == []


def test_alexander_wang_in_context_is_alexandr(matcher: Matcher) -> None:
    [role] = [m for m in matcher.match("Alexander Wang takes charge of Meta's AI groups") if m.topic == "wang-meta-role"]
    assert any(e.text == "Alexander Wang" for e in role.evidence)
