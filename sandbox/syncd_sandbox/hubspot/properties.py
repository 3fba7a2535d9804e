"""Contact property definitions in the v3 Property shape, and write-time value checks."""

from __future__ import annotations

from typing import Any

from .timeutil import iso, parse_time

__all__ = ["DEFAULT_STAGES", "contact_property_defs", "normalize_value", "value_kind"]

DEFAULT_STAGES = [
    {"value": v, "label": label, "displayOrder": i}
    for i, (v, label) in enumerate([
        ("subscriber", "Subscriber"), ("lead", "Lead"),
        ("marketingqualifiedlead", "Marketing Qualified Lead"),
        ("salesqualifiedlead", "Sales Qualified Lead"), ("opportunity", "Opportunity"),
        ("customer", "Customer"), ("evangelist", "Evangelist"), ("other", "Other")])
]
_EMPLOYEE_RANGES = ["1-5", "5-25", "25-50", "50-100", "100-500", "500-1000", "1000+"]
_SOURCES = ["ORGANIC_SEARCH", "PAID_SEARCH", "EMAIL_MARKETING", "SOCIAL_MEDIA", "REFERRALS",
            "OTHER_CAMPAIGNS", "DIRECT_TRAFFIC", "OFFLINE", "PAID_SOCIAL"]
_LEAD_STATUSES = ["NEW", "OPEN", "IN_PROGRESS", "OPEN_DEAL", "UNQUALIFIED",
                  "ATTEMPTED_TO_CONTACT", "CONNECTED", "BAD_TIMING"]

# (name, label, type, fieldType, groupName); read-only ones are maintained by the portal.
_STANDARD = [
    ("email", "Email", "string", "text", "contactinformation"),
    ("firstname", "First Name", "string", "text", "contactinformation"),
    ("lastname", "Last Name", "string", "text", "contactinformation"),
    ("phone", "Phone Number", "string", "phonenumber", "contactinformation"),
    ("company", "Company Name", "string", "text", "contactinformation"),
    ("jobtitle", "Job Title", "string", "text", "contactinformation"),
    ("website", "Website URL", "string", "text", "contactinformation"),
    ("city", "City", "string", "text", "contactinformation"),
    ("state", "State/Region", "string", "text", "contactinformation"),
    ("country", "Country/Region", "string", "text", "contactinformation"),
    ("industry", "Industry", "string", "text", "contactinformation"),
    ("hs_additional_emails", "Additional email addresses", "string", "text", "contactinformation"),
    ("hs_email_optout", "Unsubscribed from all email", "bool", "booleancheckbox", "emailinformation"),
    ("hs_email_last_open_date", "Last marketing email open date", "datetime", "date", "emailinformation"),
    ("hs_email_last_click_date", "Last marketing email click date", "datetime", "date", "emailinformation"),
    ("hs_email_last_send_date", "Last marketing email send date", "datetime", "date", "emailinformation"),
    ("hs_email_delivered", "Marketing emails delivered", "number", "number", "emailinformation"),
    ("hs_email_open", "Marketing emails opened", "number", "number", "emailinformation"),
    ("hs_email_click", "Marketing emails clicked", "number", "number", "emailinformation"),
    ("hs_email_bounce", "Marketing emails bounced", "number", "number", "emailinformation"),
    ("hs_analytics_num_page_views", "Number of Pageviews", "number", "number", "analyticsinformation"),
    ("hs_analytics_last_visit_timestamp", "Time of Last Session", "datetime", "date", "analyticsinformation"),
    ("num_conversion_events", "Number of Form Submissions", "number", "number", "conversioninformation"),
    ("first_conversion_date", "First Conversion Date", "datetime", "date", "conversioninformation"),
    ("first_conversion_event_name", "First Conversion", "string", "text", "conversioninformation"),
    ("recent_conversion_date", "Recent Conversion Date", "datetime", "date", "conversioninformation"),
    ("recent_conversion_event_name", "Recent Conversion", "string", "text", "conversioninformation"),
    ("notes_last_updated", "Last Activity Date", "datetime", "date", "sales_properties"),
    ("notes_last_contacted", "Last Contacted", "datetime", "date", "sales_properties"),
    ("num_contacted_notes", "Number of times contacted", "number", "number", "sales_properties"),
    ("hs_last_sales_activity_timestamp", "Last Engagement Date", "datetime", "date", "sales_properties"),
    ("hs_sales_email_last_replied", "Recent Sales Email Replied Date", "datetime", "date", "sales_properties"),
    ("createdate", "Create Date", "datetime", "date", "contactinformation"),
    ("lastmodifieddate", "Last Modified Date", "datetime", "date", "contactinformation"),
    ("hs_object_id", "Record ID", "number", "number", "contactinformation"),
    ("hs_merged_object_ids", "Merged Contact IDs", "enumeration", "checkbox", "contactinformation"),
]
READ_ONLY = frozenset({"hs_object_id", "lastmodifieddate", "hs_merged_object_ids"})


def _definition(name: str, label: str, type_: str, field: str, group: str,
                options: list[dict] | None = None) -> dict[str, Any]:
    return {"name": name, "label": label, "type": type_, "fieldType": field,
            "groupName": group, "description": "", "options": options or [],
            "hidden": False, "formField": field not in {"calculation_equation"},
            "hasUniqueValue": name == "email", "hubspotDefined": True,
            "modificationMetadata": {"archivable": False, "readOnlyDefinition": True,
                                     "readOnlyValue": name in READ_ONLY}}


def _options(values: list[str]) -> list[dict]:
    return [{"label": v.replace("_", " ").title(), "value": v, "displayOrder": i, "hidden": False}
            for i, v in enumerate(values)]


def contact_property_defs(stages: list[dict], owners: list[dict],
                          extra: list[dict]) -> dict[str, dict]:
    """All contact property definitions by name: the standard set, stage dates, then ``extra``."""
    defs = {row[0]: _definition(*row) for row in _STANDARD}
    defs["hs_email_optout"]["options"] = _options(["true", "false"])
    stage_opts = [{"label": s["label"], "value": s["value"], "displayOrder": s["displayOrder"],
                   "hidden": False} for s in stages]
    defs["lifecyclestage"] = _definition("lifecyclestage", "Lifecycle Stage", "enumeration",
                                         "radio", "contactinformation", stage_opts)
    defs["numemployees"] = _definition("numemployees", "Number of Employees", "enumeration",
                                       "select", "contactinformation", _options(_EMPLOYEE_RANGES))
    defs["hs_analytics_source"] = _definition("hs_analytics_source", "Original Source",
                                              "enumeration", "select", "analyticsinformation",
                                              _options(_SOURCES))
    defs["hs_lead_status"] = _definition("hs_lead_status", "Lead Status", "enumeration",
                                         "radio", "sales_properties", _options(_LEAD_STATUSES))
    owner_opts = [{"label": f"{o.get('firstName', '')} {o.get('lastName', '')}".strip() or o["id"],
                   "value": o["id"], "displayOrder": i, "hidden": False}
                  for i, o in enumerate(owners)]
    defs["hubspot_owner_id"] = _definition("hubspot_owner_id", "Contact owner", "enumeration",
                                           "select", "sales_properties", owner_opts)
    for s in stages:
        name = f"hs_lifecyclestage_{s['value']}_date"
        defs[name] = _definition(name, f"Became a {s['label']} Date", "datetime", "date",
                                 "contactinformation")
    for custom in extra:
        merged = _definition(custom["name"], custom.get("label", custom["name"]),
                             custom.get("type", "string"), custom.get("fieldType", "text"),
                             custom.get("groupName", "contactinformation"))
        merged.update(custom)
        merged["hubspotDefined"] = bool(custom.get("hubspotDefined", False))
        defs[custom["name"]] = merged
    return defs


def value_kind(definition: dict | None, name: str) -> str:
    """Comparison kind of a property: datetime, date, number, bool, enumeration or string."""
    if definition is not None:
        return definition["type"]
    # Engagement objects carry no definitions here; their names tell the kind.
    if name in {"hs_timestamp", "hs_createdate", "hs_lastmodifieddate"} or name.endswith("_date"):
        return "datetime"
    return "number" if name == "hs_object_id" else "string"


def normalize_value(definition: dict, raw: str) -> str:
    """Return the stored form of ``raw`` or raise ``ValueError`` saying what is accepted."""
    kind = definition["type"]
    if raw == "":
        return ""
    if kind == "number":
        try:
            float(raw)
        except ValueError:
            raise ValueError(f"{raw!r} is not a number") from None
        return raw
    if kind in {"datetime", "date"}:
        at = parse_time(raw)
        return iso(at) if kind == "datetime" else at.date().isoformat()
    if kind == "bool":
        if raw.lower() not in {"true", "false"}:
            raise ValueError(f"{raw!r} is not one of true, false")
        return raw.lower()
    if kind == "enumeration" and definition["options"]:
        allowed = [o["value"] for o in definition["options"]]
        parts = raw.split(";") if definition["fieldType"] == "checkbox" else [raw]
        bad = [p for p in parts if p not in allowed]
        if bad:
            raise ValueError(f"{bad[0]!r} was not one of the allowed options: {', '.join(allowed)}")
    if definition["name"] == "email" and not _looks_like_email(raw):
        raise ValueError(f"Email address {raw} is invalid")
    return raw


def _looks_like_email(raw: str) -> bool:
    local, _, domain = raw.partition("@")
    return bool(local) and "." in domain and " " not in raw
