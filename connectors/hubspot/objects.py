"""Reader of engagement objects (meetings, calls, notes, sales emails): CRM search on
``hs_createdate`` (the time HubSpot recorded them, so late ones are never behind the
cursor) and their contacts through associations v4, batched up to 1,000 ids."""

from __future__ import annotations

from collections.abc import Callable

from . import normalize as norm
from .keyset import record_ms, scan_changed
from .reading import Item, Pages, Reader

__all__ = ["OBJECT_PROPS", "object_reader"]


OBJECT_PROPS = ("hs_timestamp", "hs_createdate", "hs_email_direction", "hs_meeting_title",
                "hs_meeting_outcome", "hs_call_direction", "hs_call_disposition")


def object_reader(object_type: str) -> Callable[[Reader, int, int | None], Pages]:
    """The reader of one engagement object type: records created in ``[since, until)``."""
    def read(r: Reader, since: int, until: int | None) -> Pages:
        pending: list[dict] = []
        for page in scan_changed(r.api, object_type, time_prop="hs_createdate", properties=OBJECT_PROPS,
                                 since_ms=since, until_ms=until, page_size=r.settings.search_page_size):
            pending += [x for x in page if r.is_new(str(x["id"]), record_ms(x, "hs_createdate"))]
            if len(pending) + r.settings.search_page_size > r.settings.association_batch_size:
                yield _with_contacts(r, object_type, pending)
                pending = []
        if pending:
            yield _with_contacts(r, object_type, pending)
    return read


def _with_contacts(r: Reader, object_type: str, records: list[dict]) -> list[Item]:
    body = r.api.associations(object_type, "contacts", [x["id"] for x in records])
    links = {str(x["from"]["id"]): [str(t["toObjectId"]) for t in x.get("to") or []]
             for x in body.get("results") or []}
    items = []
    for x in records:
        contacts = links.get(str(x["id"]), [])
        if not contacts:
            r.skipped[f"{object_type} without a contact"] = r.skipped.get(f"{object_type} without a contact", 0) + 1
        items.append(Item(str(x["id"]), record_ms(x, "hs_createdate"),
                          norm.engagement_object(object_type, x, contacts)))
    return items
