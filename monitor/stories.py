"""Clustering items into stories (pure).

Ten outlets carrying one wire story should reach an analyst once. Two items are one story when
they share content, or when their normalized headlines are near-duplicates within a time window
AND they matched a common topic (so two different Scale AI stories with similar wording about
different events stay apart unless their headlines are nearly the same).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from rapidfuzz import fuzz

WINDOW = timedelta(hours=72)
TITLE_THRESHOLD = 88.0
MIN_CONTAINED_TOKENS = 6
_OUTLET_SUFFIX = re.compile(r"\s+[-|–—]\s+[^-|–—]{2,60}$")
_NON_WORD = re.compile(r"[^\w\s]+", re.UNICODE)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


@dataclass(frozen=True)
class StoryRef:
    id: str
    title_key: str
    content_hash: str
    topics: frozenset[str]
    created_at: datetime


def title_key(title: str) -> str:
    """Headline reduced to what survives republication: outlet suffix, case, punctuation and
    diacritics dropped ("Scale AI loses OpenAI - Reuters" == "Scale AI Loses OpenAI")."""
    text = _OUTLET_SUFFIX.sub("", unicodedata.normalize("NFKC", title).strip())
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = _NON_WORD.sub(" ", text.casefold())
    return " ".join(text.split())


def same_story(a_key: str, b_key: str) -> bool:
    """Near-duplicate headlines; differing figures ("$14.3B" vs "$10B") mean different news."""
    if not a_key or not b_key:
        return False
    if set(_NUMBER.findall(a_key)) != set(_NUMBER.findall(b_key)):
        return False
    if fuzz.token_sort_ratio(a_key, b_key) >= TITLE_THRESHOLD:
        return True
    # one headline contains the other plus a tail ("..., sources say"): only for headlines long
    # enough that containment is not a coincidence of a few common words
    short, long_ = sorted((a_key.split(), b_key.split()), key=len)
    return (len(short) >= MIN_CONTAINED_TOKENS and len(short) / len(long_) >= 0.6
            and fuzz.token_set_ratio(a_key, b_key) >= 95)


def find_story(candidates: Sequence[StoryRef], *, title: str, content_hash: str, topics: frozenset[str],
               now: datetime) -> StoryRef | None:
    """The story this item continues, or None for a new story. Newest candidates win ties."""
    key = title_key(title)
    for story in sorted(candidates, key=lambda c: c.created_at, reverse=True):
        if now - story.created_at > WINDOW:
            continue
        if story.content_hash == content_hash:
            return story
        if topics & story.topics and same_story(key, story.title_key):
            return story
    return None
