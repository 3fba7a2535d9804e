"""Contact side of a pull: changed contacts, webhook-named ids, merges and deletions."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from syncd.models import HubSpotContact

from .cursors import KeysetCursor
from .keyset import scan_changed
from .normalize import contact_from
from .timeutil import to_ms
from .transport import HubSpotApi

__all__ = ["ContactPage", "changed_contacts", "listed_contacts", "named_contacts", "archived_ids"]


@dataclass(frozen=True, slots=True, kw_only=True)
class ContactPage:
    """Contacts read in one call or batch, with the merges and deletions they reveal."""

    contacts: list[HubSpotContact]
    merges: list[tuple[str, str]]
    deleted: list[str]


def _merges(contacts: Sequence[HubSpotContact]) -> list[tuple[str, str]]:
    return [(old, c.id) for c in contacts for old in c.merged_ids]


def changed_contacts(api: HubSpotApi, cursor: KeysetCursor, *, properties: Sequence[str],
                     since_ms: int, until_ms: int | None, page_size: int,
                     emitted: Mapping[str, HubSpotContact] | None = None,
                     skip: Sequence[tuple[int, int]] = (), totals: list[int] | None = None) -> Iterator[ContactPage]:
    """Contacts whose ``lastmodifieddate`` is in the range (outside the ``skip`` windows) and
    not emitted in that version (by an earlier cycle, per ``cursor``, or earlier in this one,
    per ``emitted``)."""
    emitted = emitted or {}
    for page in scan_changed(api, "contacts", time_prop="lastmodifieddate", properties=properties,
                             since_ms=since_ms, until_ms=until_ms, page_size=page_size, skip=skip,
                             totals=totals):
        contacts = [contact_from(r) for r in page]
        fresh = [c for c in contacts if cursor.is_new(c.id, _ms(c))
                 and not (c.id in emitted and emitted[c.id].updated_at == c.updated_at)]
        if fresh:
            yield ContactPage(contacts=fresh, merges=_merges(fresh), deleted=[])


def listed_contacts(api: HubSpotApi, cursor: KeysetCursor, *, properties: Sequence[str], since_ms: int,
                    emitted: Mapping[str, HubSpotContact] | None = None) -> Iterator[ContactPage]:
    """Every live contact by listing (100 a page, in id order), keeping those changed at or
    after ``since_ms`` and not emitted in that version: cheaper in time than search when
    most of the portal changed (the general limit allows far more calls than search's)."""
    emitted = emitted or {}
    props = list(dict.fromkeys([*properties, "lastmodifieddate", "hs_object_id"]))
    after = None
    while True:
        body = api.list_contacts(after, props)
        contacts = [contact_from(r) for r in body.get("results") or []]
        fresh = [c for c in contacts if _ms(c) >= since_ms and cursor.is_new(c.id, _ms(c))
                 and not (c.id in emitted and emitted[c.id].updated_at == c.updated_at)]
        if fresh:
            yield ContactPage(contacts=fresh, merges=_merges(fresh), deleted=[])
        after = ((body.get("paging") or {}).get("next") or {}).get("after")
        if not after:
            return


def named_contacts(api: HubSpotApi, ids: Sequence[str], *, properties: Sequence[str],
                   batch_size: int) -> Iterator[ContactPage]:
    """Contacts named by id (webhooks): a merged id resolves to its survivor, an id that
    no longer resolves was archived or GDPR-deleted."""
    unique = list(dict.fromkeys(str(i) for i in ids))
    for start in range(0, len(unique), batch_size):
        chunk = unique[start:start + batch_size]
        body = api.read_contacts(chunk, properties)
        contacts = [contact_from(r) for r in body.get("results") or []]
        missing = [str(i) for e in body.get("errors") or [] for i in (e.get("context") or {}).get("ids") or []]
        asked = set(chunk)
        merges = [(old, c.id) for c in contacts for old in c.merged_ids if old in asked]
        yield ContactPage(contacts=contacts, merges=merges, deleted=[i for i in missing if i in asked])


def archived_ids(api: HubSpotApi) -> list[str]:
    """Every archived contact id (the list endpoint with ``archived=true``)."""
    out, after = [], None
    while True:
        body = api.archived_contacts(after)
        out += [str(r["id"]) for r in body.get("results") or []]
        after = ((body.get("paging") or {}).get("next") or {}).get("after")
        if not after:
            return out


def _ms(contact: HubSpotContact) -> int:
    return to_ms(contact.updated_at)
