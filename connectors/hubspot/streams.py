"""The engagement streams, declared in one registry.

Each ``Stream`` says how to read a time range (``read``), optionally how to read only
what some changed contacts did (``read_for`` the keys ``per_contact`` gives of each, one
call per key), and when a cycle needs it at all (``wanted``, asked of the pull's
``ChangedContacts``). Adding a kind of engagement is one reader, one normaliser
and one registry entry.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from syncd.models import HubSpotContact

from .changed import ChangedContacts
from .feeds import converted, email_for, email_window, emails_of, event_window, events_for, form_window
from .objects import object_reader
from .reading import Item, Pages, Reader
from .transport import ENGAGEMENT_TYPES

__all__ = ["CONTACT_PROPS", "Item", "Reader", "STREAMS", "Stream"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Stream:
    name: str
    shape: Literal["window", "keyset"]
    read: Callable[[Reader, int, int | None], Pages]
    wanted: Callable[[ChangedContacts], bool] = bool
    read_for: Callable[[Reader, Sequence[str], int], Pages] | None = None
    per_contact: Callable[[HubSpotContact], Sequence[str]] | None = None  # keys read_for takes
    sliceable: bool = True  # False: the API cannot filter by time, read history in one pass
    # "general": read after the contacts, on their lane; "search": on a lane of its own beside
    # them (the search limit). A second lane under the general window measured slower on two
    # cores (its answers and the store compete for the CPU).
    lane: Literal["general", "search"] = "general"


STREAMS: tuple[Stream, ...] = (
    Stream(name="email_events", shape="window", read=email_window, read_for=email_for,
           per_contact=emails_of, wanted=lambda cs: cs.cost("email_events") > 0),
    Stream(name="events", shape="window", read=event_window,
           read_for=events_for, per_contact=lambda c: (c.id,)),
    Stream(name="form_submissions", shape="window", read=form_window, wanted=converted,
           sliceable=False),
    *(Stream(name=t, shape="keyset", read=object_reader(t), lane="search") for t in ENGAGEMENT_TYPES),
)
"""Every engagement stream, in the order a cycle reads them."""

CONTACT_PROPS = ("email", "lastmodifieddate", "hs_merged_object_ids", "hs_additional_emails",
                 "num_conversion_events")
"""Contact properties the connector itself needs besides those the caller asks for."""
