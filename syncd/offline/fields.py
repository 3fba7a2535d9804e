"""The fields an offline record can carry, in the order reports list them."""

from __future__ import annotations

from typing import Literal, get_args

__all__ = ["FIELDS", "FieldName"]

FieldName = Literal[
    "first_name", "last_name", "full_name", "salutation", "email", "phone", "mobile", "company",
    "title", "department", "website", "street", "postcode", "city", "state", "country", "notes",
    "lead_source", "campaign", "event_date", "consent", "hand_raise", "attended", "external_id",
]
FIELDS: tuple[str, ...] = get_args(FieldName)
