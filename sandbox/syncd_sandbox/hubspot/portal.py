"""Portal-level endpoints: properties, owners, forms and form submissions."""

from __future__ import annotations

from typing import Any

from .errors import ApiError
from .http import Ctx, json_response
from .views import query_rows

__all__ = ["check_contact_type", "list_properties", "get_property", "list_owners", "get_owner", "list_forms",
           "form_submissions"]


def check_contact_type(object_type: str) -> None:
    """400 unless ``object_type`` names contacts (the only object with emulated properties)."""
    if object_type not in {"contacts", "contact", "0-1"}:
        raise ApiError.validation(f"objectType: properties are emulated for contacts only, "
                                  f"not {object_type!r}", field="objectType")


def list_properties(ctx: Ctx, object_type: str) -> Any:
    """GET /crm/v3/properties/{objectType}."""
    check_contact_type(object_type)
    defs = ctx.state.contact_defs
    return json_response({"results": [defs[n] for n in sorted(defs)]})


def get_property(ctx: Ctx, object_type: str, name: str) -> Any:
    """GET /crm/v3/properties/{objectType}/{propertyName}."""
    check_contact_type(object_type)
    definition = ctx.state.contact_defs.get(name)
    if definition is None:
        raise ApiError.not_found(f"Unable to find property {name} for object type contacts")
    return json_response(definition)


def _owner(row: dict) -> dict:
    out = {"id": str(row["id"]), "email": row.get("email", ""), "firstName": row.get("firstName", ""),
           "lastName": row.get("lastName", ""), "createdAt": row["createdAt"],
           "updatedAt": row.get("updatedAt", row["createdAt"]),
           "archived": bool(row.get("archived", False)), "type": row.get("type", "PERSON")}
    if row.get("userId") is not None:
        out["userId"] = int(row["userId"])
    return out


def _offset_page(ctx: Ctx, rows: list[dict], limit: int) -> tuple[list[dict], dict | None]:
    start = ctx.cursor("after")
    page = rows[start:start + limit]
    nxt = start + limit
    return page, ({"next": {"after": str(nxt), "link": f"?after={nxt}"}} if nxt < len(rows) else None)


def list_owners(ctx: Ctx) -> Any:
    """GET /crm/v3/owners/ (``email``, ``archived``, ``limit`` ≤ 500, ``after``)."""
    limit = ctx.int_param("limit", 100, low=1, high=500)
    archived, email = ctx.bool_param("archived"), ctx.str_param("email")
    rows = [_owner(o) for o in ctx.state.owners if bool(o.get("archived", False)) == archived
            and (email is None or o.get("email", "").lower() == email.lower())]
    page, paging = _offset_page(ctx, rows, limit)
    return json_response({"results": page, **({"paging": paging} if paging else {})})


def get_owner(ctx: Ctx, owner_id: str) -> Any:
    """GET /crm/v3/owners/{ownerId} (``idProperty`` id or userId)."""
    by_user = ctx.str_param("idProperty") == "userId"
    for row in ctx.state.owners:
        if str(row.get("userId") if by_user else row["id"]) == owner_id:
            return json_response(_owner(row))
    raise ApiError.not_found(f"Owner {owner_id} was not found")


def _form(row: dict) -> dict:
    """A v3 HubSpotFormDefinition; the seed gives identity, the rest is HubSpot's defaults."""
    style = {k: "" for k in ("backgroundWidth", "fontFamily", "helpTextColor", "helpTextSize",
                             "labelTextColor", "labelTextSize", "legalConsentTextColor",
                             "legalConsentTextSize", "submitColor", "submitFontColor",
                             "submitSize")}
    style["submitAlignment"] = "left"
    return {"id": row["id"], "name": row["name"], "formType": "hubspot",
            "createdAt": row["createdAt"], "updatedAt": row.get("updatedAt", row["createdAt"]),
            "archived": bool(row.get("archived", False)),
            "fieldGroups": [{"groupType": "default_group", "richTextType": "text", "fields": []}],
            "configuration": {"language": "en", "cloneable": True, "editable": True,
                              "archivable": True, "recaptchaEnabled": False,
                              "notifyContactOwner": False, "notifyRecipients": [],
                              "createNewContactForNewEmail": False,
                              "prePopulateKnownValues": True, "allowLinkToResetKnownValues": False,
                              "lifecycleStages": [],
                              "postSubmitAction": {"type": "thank_you", "value": ""}},
            "displayOptions": {"renderRawHtml": False, "theme": "default_style",
                               "submitButtonText": "Submit", "style": style},
            "legalConsentOptions": {"type": "none"}}


def list_forms(ctx: Ctx) -> Any:
    """GET /marketing/v3/forms/."""
    limit = ctx.int_param("limit", 20, low=1, high=500)
    archived = ctx.bool_param("archived")
    rows = [_form(f) for f in ctx.state.forms if bool(f.get("archived", False)) == archived]
    page, paging = _offset_page(ctx, rows, limit)
    return json_response({"results": page, **({"paging": paging} if paging else {})})


def form_submissions(ctx: Ctx, form_guid: str) -> Any:
    """GET /form-integrations/v1/submissions/forms/{formGuid}: newest first, ≤ 50 a page."""
    limit = ctx.int_param("limit", 20, low=1, high=50)
    with ctx.state.lock:
        if not any(f["id"] == form_guid for f in ctx.state.forms):
            raise ApiError.not_found(f"Form {form_guid} was not found")
        subs = query_rows(ctx.state, "form_submissions", (form_guid,),
                          lambda: sorted(ctx.state.submissions.get(form_guid, []),
                                         key=lambda s: (-s["submittedAt"], s["conversionId"])))
    page, paging = _offset_page(ctx, subs, limit)
    results = [{"conversionId": s["conversionId"], "submittedAt": s["submittedAt"],
                "values": s["values"], "pageUrl": s.get("pageUrl", "")} for s in page]
    if paging:
        after = paging["next"]["after"]
        paging["next"]["link"] = (f"/form-integrations/v1/submissions/forms/{form_guid}"
                                  f"?limit={limit}&after={after}")
    return json_response({"results": results, **({"paging": paging} if paging else {})})
