"""The match stage: unmatched items in, matches + stories + outbox rows out, in ONE transaction.

Writing the outbox row with the match is what makes alerts exactly-once in effect: either the
item is marked matched and its alerts exist, or neither happened and the next run redoes both.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from monitor.configstate import ActiveConfig
from monitor.matching import TopicMatch
from monitor.outbox import build_payload, deliveries_for, quiet_until
from monitor.store.alerts import has_created_alert, new_alert_id
from monitor.store.items import claim_unmatched
from monitor.store.tables import Alert, Feed, Item, Match, Story
from monitor.stories import WINDOW, StoryRef, find_story, title_key

BATCH = 200
GENERIC_TYPES = frozenset({"webhook"})  # receivers of story.updated events


def _recent_stories(s: Session, now: datetime) -> list[StoryRef]:
    rows = s.exec(select(Story).where(col(Story.created_at) >= now - WINDOW)
                  .order_by(col(Story.created_at).desc()).limit(5000)).all()
    return [StoryRef(r.id, r.title_key, r.content_hash, frozenset(json.loads(r.topics)), r.created_at)
            for r in rows]


def _attach_story(s: Session, item: Item, matches: list[TopicMatch], stories: list[StoryRef],
                  now: datetime) -> tuple[Story, bool]:
    topics = frozenset(m.topic for m in matches)
    ref = find_story(stories, title=item.title, content_hash=item.content_hash, topics=topics, now=now)
    if ref is not None:
        story = s.get(Story, ref.id)
        if story is not None:
            outlets = json.loads(story.outlets)
            if item.feed_id not in outlets:
                outlets.append(item.feed_id)
            story.outlets = json.dumps(outlets)
            story.item_count += 1
            story.topics = json.dumps(sorted(topics | set(json.loads(story.topics))))
            story.last_item_at = now
            s.add(story)
            return story, False
    story = Story(id="st_" + uuid.uuid4().hex[:20], first_item_id=item.id or 0, title_key=title_key(item.title),
                  content_hash=item.content_hash, topics=json.dumps(sorted(topics)), outlets=json.dumps([item.feed_id]),
                  created_at=now, last_item_at=now)
    s.add(story)
    stories.append(StoryRef(story.id, story.title_key, story.content_hash, topics, now))
    return story, True


def match_batch(s: Session, active: ActiveConfig, now: datetime, skip_locked: bool = False) -> tuple[int, list[str]]:
    """Process up to BATCH unmatched items. Returns (items processed, outbox ids created)."""
    items = claim_unmatched(s, BATCH, skip_locked)
    if not items:
        return 0, []
    cfg, matcher = active.config, active.matcher
    stories = _recent_stories(s, now)
    feed_titles = {f.id: f.title for f in s.exec(select(Feed)).all()}
    created: list[str] = []
    for item in items:
        item.matched_at = now
        s.add(item)
        if item.silent:
            continue
        matches = matcher.match(item.title, item.summary, item.lang, item.url)
        if not matches:
            continue
        for m in matches:
            s.add(Match(item_id=item.id or 0, topic=m.topic, score=m.score, severity=m.severity,
                        evidence=json.dumps([e.as_dict() for e in m.evidence], ensure_ascii=False), created_at=now))
        story, is_new = _attach_story(s, item, matches, stories, now)
        item.story_id = story.id
        outlets = [o for o in json.loads(story.outlets) if o != item.feed_id]
        for m in matches:
            payload = build_payload(item, m, matcher.topic_names.get(m.topic, m.topic), outlets,
                                    feed_titles.get(item.feed_id))
            for d in deliveries_for(cfg, m):
                if not is_new and has_created_alert(s, story.id, m.topic, d.subscription_key):
                    if d.destination.type not in GENERIC_TYPES:
                        continue
                    event = "story.updated"
                else:
                    event = "alert.created"
                status, due = "pending", now
                if d.subscription.mode == "digest":
                    status = "held"
                elif (until := quiet_until(d.subscription.quiet_hours, now)) is not None:
                    due = until
                aid = new_alert_id()
                s.add(Alert(id=aid, item_id=item.id or 0, story_id=story.id, topic=m.topic,
                            subscription_key=d.subscription_key, destination_id=d.destination.id,
                            event_type=event, severity=m.severity, score=m.score, status=status,
                            next_attempt_at=due, payload=payload, created_at=now))
                s.flush()
                if status == "pending" and due <= now + timedelta(seconds=1):
                    created.append(aid)
    return len(items), created
