"""Lead conversion, as sales performs it in the UI (there is no REST lead convert)."""

from __future__ import annotations

from .writes import create

__all__ = ["convert_lead"]

_COPIED = ("FirstName", "LastName", "Email", "Phone", "Title", "Description", "OwnerId")


def convert_lead(state, lead_id: str, account_id: str | None) -> tuple[str, str]:
    """Create the Contact (and Account unless given), mark the Lead converted."""
    from .state import SalesforceWriteError

    store = state.store
    lead = store.get("Lead", lead_id)
    if lead is None or lead.get("IsDeleted") or lead.get("IsConverted"):
        raise ValueError(f"Lead {lead_id} does not exist, is deleted or is already converted")
    ctx = state.write_context(api=False)
    if account_id is None:
        account = create(ctx, "Account", {"Name": lead.get("Company") or lead["LastName"],
                                          "Website": lead.get("Website"),
                                          "OwnerId": lead.get("OwnerId")})
        if not account.ok:
            raise SalesforceWriteError(account.errors)
        account_id = account.id
    contact_fields = {k: lead.get(k) for k in _COPIED}
    contact_schema = store.schemas["Contact"]
    # Custom fields map to the Contact field of the same name, as an admin's lead field
    # mapping would.
    for name, value in lead.items():
        taken = name in store.ext_fields["Contact"] and store.by_external_id("Contact", name, value)
        if name.endswith("__c") and contact_schema.field(name) and value is not None and not taken:
            contact_fields[name] = value
    contact = create(ctx, "Contact", {**contact_fields, "AccountId": account_id})
    if not contact.ok:
        store.undo(ctx.undo)
        raise SalesforceWriteError(contact.errors)
    status = next((r["ApiName"] for r in store.tables["LeadStatus"].values()
                   if r.get("IsConverted")), lead.get("Status"))
    store.put("Lead", {**lead, "IsConverted": True, "ConvertedContactId": contact.id,
                       "ConvertedAccountId": account_id, "ConvertedDate": ctx.now[:10],
                       "Status": status, "LastModifiedDate": ctx.now, "SystemModstamp": ctx.now})
    return contact.id, account_id
