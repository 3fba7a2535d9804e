"""The Salesforce org: users, Accounts, Leads, Contacts and Opportunities.

``OrgBuilder`` writes records; ``people_in_salesforce`` (in ``salesforce_people``) decides
per persona which records a person has. Each record is an imperfect view: the email may be
in other case, the phone in another format, the first name a nickname.
"""

from __future__ import annotations

import random

from . import pools
from ._ids import DAY_MS, HOUR_MS, SalesforceIds, day, iso
from .hubspot_seed import OWNERS, owner_email
from .people import Company, Person

__all__ = ["LEAD_STATUSES", "ORG_ID", "OrgBuilder"]

ORG_ID = "00D5e000000AbCdEAK"
LEAD_STATUSES = [
    {"MasterLabel": label, "ApiName": label, "SortOrder": i + 1, "IsDefault": i == 0,
     "IsConverted": label == "Closed - Converted"}
    for i, label in enumerate(("Open - Not Contacted", "Working - Contacted", "Nurture",
                               "Unqualified", "Closed - Not Converted", "Closed - Converted"))]
# Queues for leads no rep takes (routing falls back to one of them).
QUEUES = [("Inbound Leads", "Inbound_Leads", "inbound-leads@brightloop.io"),
          ("Partner Leads", "Partner_Leads", "partner-leads@brightloop.io")]
_SOURCES = ("Web", "Phone Inquiry", "Partner Referral", "Purchased List", "Other")


class OrgBuilder:
    """Accumulates the org's records; ``seed()`` returns the org seed dict."""

    def __init__(self, rng: random.Random, *, now_ms: int, companies: list[Company]) -> None:
        self.rng, self.now_ms, self.companies = rng, now_ms, companies
        self.ids = SalesforceIds()
        self.users: list[dict] = []
        self.accounts: list[dict] = []
        self.leads: list[dict] = []
        self.contacts: list[dict] = []
        self.opportunities: list[dict] = []
        self._account_of: dict[int, str] = {}
        self._make_users()

    def _make_users(self) -> None:
        # The integration user comes first: an org's first user is the one API writes run as.
        people = [("Syncd", "Integration", "integration@brightloop.io", True)]
        people += [(f, l, owner_email(i), True) for i, (f, l) in enumerate(OWNERS)]
        people += [("Former", "Rep", "former.rep@brightloop.io", False)]
        for first, last, email, active in people:
            self.users.append({"Id": self.ids.new("005"), "Username": email, "Email": email,
                               "FirstName": first, "LastName": last, "Name": f"{first} {last}",
                               "IsActive": active})

    def owner(self, person: Person) -> str:
        """The user owning ``person``'s records: their HubSpot owner, else another user."""
        if person.owner is not None:
            return self.users[1 + person.owner]["Id"]
        # Unassigned people sit with the integration user, an old rep or the first reps.
        return self.rng.choice((self.users[0], self.users[-1], self.users[1], self.users[2]))["Id"]

    def account(self, company: int, owner_id: str) -> str:
        """The Account of ``company``, created on first use."""
        if company not in self._account_of:
            c = self.companies[company]
            self._account_of[company] = self.ids.new("001")
            self.accounts.append({
                "Id": self._account_of[company],
                "Name": c.legal_name if self.rng.random() < 0.5 else c.name,
                "Website": c.website.split("//", 1)[1].rstrip("/"),
                "Industry": pools.INDUSTRIES[c.industry][1], "NumberOfEmployees": c.employees,
                "OwnerId": owner_id})
        return self._account_of[company]

    def opportunity(self, account_id: str, name: str, stage: str, close_ms: int, owner_id: str) -> str:
        """An Opportunity; "Closed Won"/"Closed Lost" close it."""
        oid = self.ids.new("006")
        closed = stage.startswith("Closed")
        self.opportunities.append({"Id": oid, "Name": name, "AccountId": account_id,
                                   "StageName": stage, "IsClosed": closed,
                                   "IsWon": stage == "Closed Won", "CloseDate": day(close_ms),
                                   "OwnerId": owner_id})
        return oid

    def _stamps(self, created_ms: int) -> dict:
        created = min(created_ms + self.rng.randrange(2 * DAY_MS), self.now_ms - HOUR_MS)
        modified = self.rng.randint(created, self.now_ms)
        return {"CreatedDate": iso(created), "LastModifiedDate": iso(modified)}

    def lead(self, view: dict, *, status: str, owner_id: str, created_ms: int,
             hubspot_id: str | None = None, converted: tuple[str, str, int] | None = None) -> str:
        """A Lead from ``view`` (FirstName, LastName, Email, Phone, Company, Title).

        ``converted`` is (contact id, account id, when) for a converted lead.
        """
        lid = self.ids.new("00Q")
        self.leads.append({
            "Id": lid, **view, "Status": "Closed - Converted" if converted else status,
            "LeadSource": self.rng.choice(_SOURCES), "OwnerId": owner_id,
            "IsConverted": converted is not None,
            "ConvertedContactId": converted[0] if converted else None,
            "ConvertedAccountId": converted[1] if converted else None,
            "ConvertedDate": day(converted[2]) if converted else None,
            "HubSpot_Id__c": hubspot_id, **self._stamps(created_ms)})
        return lid

    def contact(self, view: dict, *, account_id: str, owner_id: str, created_ms: int,
                hubspot_id: str | None = None) -> str:
        """A Contact on ``account_id`` from ``view`` (its Company key is dropped)."""
        cid = self.ids.new("003")
        fields = {k: v for k, v in view.items() if k != "Company"}
        self.contacts.append({"Id": cid, **fields, "AccountId": account_id, "OwnerId": owner_id,
                              "HubSpot_Id__c": hubspot_id, **self._stamps(created_ms)})
        return cid

    def queues(self) -> list[dict]:
        """The org's lead queues (Group records of Type Queue), ids in their own sequence."""
        ids = SalesforceIds()
        return [{"Id": ids.new("00G"), "Name": name, "DeveloperName": dev, "Type": "Queue",
                 "Email": email} for name, dev, email in QUEUES]

    def seed(self) -> dict:
        """The org seed dict in the emulator's format."""
        return {"org_id": ORG_ID, "users": self.users, "groups": self.queues(),
                "accounts": self.accounts,
                "leads": self.leads, "contacts": self.contacts,
                "opportunities": self.opportunities, "tasks": [],
                "lead_statuses": LEAD_STATUSES}
