"""Warnings for topics that would alert on almost anything (a rule that is all `none_of`, an
alias like "the", a keyword list of common words).

A valid config can still flood a channel. Every topic is run over a fixed set of ordinary,
off-story headlines in English and Arabic; a topic that matches a fair share of them is
reported, so the operator sees it in `monitor config validate` before a channel does.
"""

from __future__ import annotations

from monitor.matching import Matcher

# Ordinary news of every kind, none about the watched story (or any company in it).
UNRELATED_HEADLINES = (
    "Stocks edge higher as investors weigh inflation data",
    "Heavy rain brings flooding to coastal towns",
    "City council approves new budget for public transport",
    "Local football club signs a young striker from abroad",
    "Central bank holds interest rates steady for a third month",
    "Museum reopens after two years of renovation",
    "Wildfire forces evacuation of several villages",
    "New study links daily walking to better sleep",
    "Airline adds direct flights between two capitals",
    "Farmers report record wheat harvest this summer",
    "Parliament debates reform of the pension system",
    "Tech company unveils a cheaper smartphone model",
    "Hospital opens a new children's wing",
    "Oil prices fall on signs of weaker demand",
    "Film festival announces this year's jury",
    "Teachers call for smaller class sizes",
    "Police arrest suspects in jewelry store robbery",
    "Electric car sales climb in Europe",
    "Scientists discover a new species of frog in the rainforest",
    "Election officials prepare for a close vote",
    "ارتفاع أسعار الذهب في الأسواق المحلية",
    "الأمطار الغزيرة تغلق عددا من الطرق الرئيسية",
    "افتتاح معرض الكتاب الدولي بمشاركة واسعة",
    "المنتخب الوطني يستعد لمباراته المقبلة",
    "الحكومة تعلن خطة جديدة لدعم المشروعات الصغيرة",
    "وزارة الصحة تطلق حملة للتطعيم ضد الإنفلونزا",
    "انخفاض أسعار النفط مع تراجع الطلب العالمي",
    "جامعة تفتتح كلية جديدة للهندسة",
    "مهرجان سينمائي يكرم عددا من الفنانين",
    "البنك المركزي يبقي على أسعار الفائدة دون تغيير",
)
BROAD_SHARE = 0.2


def broad_topic_warnings(matcher: Matcher, topic_ids: list[str]) -> list[str]:
    hits = dict.fromkeys(topic_ids, 0)
    for headline in UNRELATED_HEADLINES:
        for m in matcher.match(headline):
            if m.topic in hits:
                hits[m.topic] += 1
    total = len(UNRELATED_HEADLINES)
    return [f"topic {tid!r} matched {n} of {total} unrelated sample headlines: it would alert on almost "
            f"anything (check its rules and aliases)" for tid, n in hits.items() if n / total >= BROAD_SHARE]
