"""The default org schema as data: object -> field -> attributes.

Attribute keys: ``type`` (string, email, phone, url, textarea, picklist, reference, boolean,
datetime, date, double, int, currency, id), ``length``, ``precision``, ``scale``, ``label``,
``createable``/``updateable``/``nillable`` (default true), ``external_id``, ``unique``,
``restricted``, ``values`` (picklist), ``default``, ``reference_to``, ``required``
(not nillable on create; Salesforce reports it as nillable false). A seed's
``schema_overrides`` merges into these per field, and may add fields.
"""

from __future__ import annotations

__all__ = ["DEFAULT_SCHEMA", "SYSTEM_FIELDS", "LIFECYCLE_STAGES", "COMPUTED_NAME_OBJECTS",
           "READ_ONLY_OBJECTS"]

LIFECYCLE_STAGES = ("Subscriber", "Lead", "MQL", "SQL", "Opportunity", "Customer", "Recycled",
                    "Disqualified")

SYSTEM_FIELDS = {
    "Id": {"type": "id", "length": 18, "createable": False, "updateable": False,
           "nillable": False, "label": "Record ID"},
    "IsDeleted": {"type": "boolean", "createable": False, "updateable": False,
                  "nillable": False, "label": "Deleted"},
    "CreatedDate": {"type": "datetime", "createable": False, "updateable": False,
                    "nillable": False},
    "CreatedById": {"type": "reference", "reference_to": ["User"], "createable": False,
                    "updateable": False, "nillable": False, "length": 18},
    "LastModifiedDate": {"type": "datetime", "createable": False, "updateable": False,
                         "nillable": False},
    "LastModifiedById": {"type": "reference", "reference_to": ["User"], "createable": False,
                         "updateable": False, "nillable": False, "length": 18},
    "SystemModstamp": {"type": "datetime", "createable": False, "updateable": False,
                       "nillable": False},
}

_OWNER = {"type": "reference", "reference_to": ["User"], "length": 18, "nillable": False,
          "label": "Owner ID"}
# A Lead may be owned by a user or a queue (a Group of type Queue).
_LEAD_OWNER = {**_OWNER, "reference_to": ["User", "Group"]}
_LAST_ACTIVITY = {"type": "date", "createable": False, "updateable": False,
                  "label": "Last Activity"}
_NAME = {"type": "string", "length": 121, "createable": False, "updateable": False,
         "label": "Full Name"}
_INDUSTRIES = ("Agriculture", "Banking", "Consulting", "Education", "Finance", "Healthcare",
               "Manufacturing", "Retail", "Technology", "Telecommunications", "Other")

_SYNC_FIELDS = {
    "HubSpot_Id__c": {"type": "string", "length": 32, "external_id": True, "unique": True,
                      "label": "HubSpot Id"},
    "Lifecycle_Stage__c": {"type": "picklist", "restricted": True, "values": LIFECYCLE_STAGES},
    "Lead_Score__c": {"type": "double", "precision": 5, "scale": 0},
    "Fit_Grade__c": {"type": "picklist", "values": ("A", "B", "C", "D")},
    "Buying_Intent__c": {"type": "picklist", "restricted": True, "values": ("passive", "active")},
    "Lead_Profile__c": {"type": "textarea", "length": 32000, "label": "Lead Profile"},
    "Last_Engagement_Date__c": {"type": "datetime"},
}

_PERSON = {
    "FirstName": {"type": "string", "length": 40},
    "LastName": {"type": "string", "length": 80, "required": True},
    "Name": _NAME,
    "Email": {"type": "email", "length": 80},
    "Phone": {"type": "phone", "length": 40},
    "MobilePhone": {"type": "phone", "length": 40, "label": "Mobile Phone"},
    "Title": {"type": "string", "length": 128},
    "OwnerId": _OWNER,
    "Description": {"type": "textarea", "length": 32000},
    "LastActivityDate": _LAST_ACTIVITY,
}
_ADDRESS = {"Street": {"type": "textarea", "length": 255},
            "City": {"type": "string", "length": 40},
            "State": {"type": "string", "length": 80, "label": "State/Province"},
            "PostalCode": {"type": "string", "length": 20, "label": "Zip/Postal Code"},
            "Country": {"type": "string", "length": 80}}
_MAILING = {f"Mailing{name}": {**spec, "label": f"Mailing {spec.get('label', name)}"}
            for name, spec in _ADDRESS.items()}
_ACTIVITY = {
    "WhoId": {"type": "reference", "reference_to": ["Contact", "Lead"], "length": 18,
              "label": "Name ID"},
    "WhatId": {"type": "reference", "reference_to": ["Account", "Opportunity"],
               "length": 18, "label": "Related To ID"},
    "OwnerId": _OWNER,
    "Subject": {"type": "string", "length": 255},
    "Description": {"type": "textarea", "length": 32000, "label": "Comments"},
    "Syncd_Key__c": {"type": "string", "length": 80, "external_id": True, "unique": True,
                     "label": "Syncd Key"},
}

DEFAULT_SCHEMA: dict[str, dict[str, dict]] = {
    "Lead": {
        **_PERSON,
        "OwnerId": _LEAD_OWNER,
        "Company": {"type": "string", "length": 255, "required": True},
        # Values come from the org's LeadStatus rows at load time.
        "Status": {"type": "picklist", "restricted": True, "values": (), "nillable": False,
                   "label": "Lead Status"},
        "LeadSource": {"type": "picklist", "values": ("Web", "Phone Inquiry",
                       "Partner Referral", "Purchased List", "Other")},
        "Website": {"type": "url", "length": 255},
        "Industry": {"type": "picklist", "values": _INDUSTRIES},
        "NumberOfEmployees": {"type": "int", "precision": 8, "label": "Employees"},
        **_ADDRESS,
        "IsConverted": {"type": "boolean", "createable": False, "updateable": False,
                        "nillable": False, "label": "Converted"},
        "ConvertedContactId": {"type": "reference", "reference_to": ["Contact"], "length": 18,
                               "createable": False, "updateable": False},
        "ConvertedAccountId": {"type": "reference", "reference_to": ["Account"], "length": 18,
                               "createable": False, "updateable": False},
        "ConvertedDate": {"type": "date", "createable": False, "updateable": False},
        **_SYNC_FIELDS,
    },
    "Contact": {
        **_PERSON,
        "AccountId": {"type": "reference", "reference_to": ["Account"], "length": 18,
                      "label": "Account ID"},
        **_MAILING,
        **_SYNC_FIELDS,
    },
    "Account": {
        "Name": {"type": "string", "length": 255, "required": True, "label": "Account Name"},
        "Website": {"type": "url", "length": 255},
        "Industry": {"type": "picklist", "values": _INDUSTRIES},
        "NumberOfEmployees": {"type": "int", "precision": 8, "label": "Employees"},
        "Phone": {"type": "phone", "length": 40},
        "OwnerId": _OWNER,
        "Description": {"type": "textarea", "length": 32000},
    },
    "Opportunity": {
        "Name": {"type": "string", "length": 120, "required": True},
        "AccountId": {"type": "reference", "reference_to": ["Account"], "length": 18},
        "StageName": {"type": "picklist", "restricted": True, "required": True, "values": (
            "Prospecting", "Qualification", "Needs Analysis", "Value Proposition",
            "Id. Decision Makers", "Perception Analysis", "Proposal/Price Quote",
            "Negotiation/Review", "Closed Won", "Closed Lost")},
        "IsClosed": {"type": "boolean", "createable": False, "updateable": False},
        "IsWon": {"type": "boolean", "createable": False, "updateable": False},
        "CloseDate": {"type": "date", "required": True},
        "Amount": {"type": "currency", "precision": 18, "scale": 2},
        "OwnerId": _OWNER,
    },
    "Task": {
        **_ACTIVITY,
        "ActivityDate": {"type": "date", "label": "Due Date Only"},
        "Status": {"type": "picklist", "restricted": True, "nillable": False,
                   "default": "Not Started", "values": ("Not Started", "In Progress",
                   "Completed", "Waiting on someone else", "Deferred")},
        "Priority": {"type": "picklist", "restricted": True, "nillable": False,
                     "default": "Normal", "values": ("High", "Normal", "Low")},
        "IsClosed": {"type": "boolean", "createable": False, "updateable": False,
                     "nillable": False, "label": "Closed"},
        "CompletedDateTime": {"type": "datetime", "createable": False, "updateable": False,
                              "label": "Completed Date/Time"},
    },
    "Event": {
        **_ACTIVITY,
        "StartDateTime": {"type": "datetime", "required": True, "label": "Start"},
        "EndDateTime": {"type": "datetime", "required": True, "label": "End"},
        "ActivityDate": {"type": "date", "createable": False, "updateable": False,
                         "label": "Due Date Only"},
        "DurationInMinutes": {"type": "int", "createable": False, "updateable": False,
                              "label": "Duration"},
    },
    "Group": {
        "Name": {"type": "string", "length": 40, "createable": False, "updateable": False},
        "DeveloperName": {"type": "string", "length": 80, "createable": False,
                          "updateable": False},
        "Type": {"type": "picklist", "createable": False, "updateable": False,
                 "values": ("Queue", "Regular", "Role", "Organization")},
        "Email": {"type": "email", "length": 255, "createable": False, "updateable": False},
    },
    "User": {
        "Username": {"type": "string", "length": 80, "createable": False, "updateable": False},
        "Email": {"type": "email", "length": 128, "createable": False, "updateable": False},
        "FirstName": {"type": "string", "length": 40, "createable": False, "updateable": False},
        "LastName": {"type": "string", "length": 80, "createable": False, "updateable": False},
        "Name": _NAME,
        "IsActive": {"type": "boolean", "createable": False, "updateable": False},
    },
    "LeadStatus": {
        "MasterLabel": {"type": "string", "length": 255, "createable": False,
                        "updateable": False},
        "ApiName": {"type": "string", "length": 255, "createable": False, "updateable": False},
        "SortOrder": {"type": "int", "createable": False, "updateable": False},
        "IsDefault": {"type": "boolean", "createable": False, "updateable": False},
        "IsConverted": {"type": "boolean", "createable": False, "updateable": False},
    },
}

# Objects whose Name is FirstName + LastName, maintained by the org, never written.
COMPUTED_NAME_OBJECTS = frozenset({"Lead", "Contact", "User"})

# Objects the org maintains; the API reads them but never writes them.
READ_ONLY_OBJECTS = frozenset({"User", "LeadStatus", "Group"})
