"""Item rows: insert what is new (atomically, by dedup keys), hand unmatched items to matching.

"New" is decided by identity, never by date: an item is new when none of its keys (guid,
canonical URL, or same content from the same feed) has been stored before. Dates only decide,
on a feed's first poll, whether a new item alerts or is stored silently (backfill).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from monitor import items as item_rules
from monitor.store.tables import DedupKey, Item

_CHUNK = 400


def item_keys(item: item_rules.Item) -> list[str]:
    """Identity keys. Content alone identifies an item only within its own feed: the same text
    from another outlet is a copy of the story (clustered later), not the same item."""
    keys = [k for k in item_rules.dedup_keys(item) if not k.startswith("hash:")]
    keys.append(f"fhash:{item.feed_id}:{item.content_hash}")
    return [k[:512] for k in dict.fromkeys(keys)]


def _existing_keys(s: Session, keys: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for i in range(0, len(keys), _CHUNK):
        chunk = list(keys[i:i + _CHUNK])
        found.update(s.exec(select(DedupKey.key).where(col(DedupKey.key).in_(chunk))).all())
    return found


def insert_new_items(s: Session, feed_id: str, parsed: Sequence[item_rules.Item], *, first_poll: bool,
                     backfill_s: float, now: datetime) -> list[int]:
    """Store the items never seen before; return their ids. Items older than the backfill window
    on a feed's first poll are stored `silent` so adding a feed does not flood a channel."""
    per_item = [item_keys(it) for it in parsed]
    seen = _existing_keys(s, [k for keys in per_item for k in keys])
    horizon = now - timedelta(seconds=backfill_s)
    new_ids: list[int] = []
    for it, keys in zip(parsed, per_item, strict=True):
        if any(k in seen for k in keys):
            continue
        silent = first_poll and it.dated and it.published < horizon
        row = Item(feed_id=feed_id, guid=it.guid, url=it.url, canonical_url=it.canonical_url[:2000],
                   title=it.title, summary=it.summary, lang=it.lang, published=it.published,
                   dated=it.dated, fetched_at=it.fetched_at, content_hash=it.content_hash,
                   silent=silent, matched_at=now if silent else None)
        s.add(row)
        s.flush()
        assert row.id is not None
        for k in keys:
            s.add(DedupKey(key=k, item_id=row.id))
        seen.update(keys)
        new_ids.append(row.id)
    return new_ids


def claim_unmatched(s: Session, limit: int, skip_locked: bool = False) -> list[Item]:
    q = select(Item).where(col(Item.matched_at).is_(None)).order_by(col(Item.id)).limit(limit)
    if skip_locked:
        q = q.with_for_update(skip_locked=True)
    return list(s.exec(q).all())
