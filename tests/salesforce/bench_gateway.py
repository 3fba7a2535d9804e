"""Measure the gateway against the emulator over TLS: calls and seconds per operation.

Run: ``.venv/bin/python -m tests.salesforce.bench_gateway`` (prints one JSON line per case).
"""

from __future__ import annotations

import json
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import simple_salesforce.bulk2

from connectors.salesforce import SalesforceClientSettings, SalesforceGateway
from syncd_sandbox.salesforce import SalesforceSettings, SalesforceState, create_app
from syncd_sandbox.server import LocalCA, serve

OWNER = "0055e000001AAAAAAA"


def _seed(leads: int) -> dict:
    rows = [{"FirstName": f"F{n}", "LastName": f"L{n}", "Email": f"Person{n}@Example{n % 50}.com",
             "Company": f"C{n}", "Status": "Open - Not Contacted", "OwnerId": OWNER,
             "HubSpot_Id__c": str(100000 + n)} for n in range(leads)]
    return {"org_id": "00D5e000000AbCdEAK", "leads": rows,
            "users": [{"Id": OWNER, "Username": "o@x.example", "Email": "o@x.example",
                       "FirstName": "O", "LastName": "Owner", "IsActive": True}]}


def _case(name: str, gateway: SalesforceGateway, run) -> None:
    before = dict(gateway.usage().calls)
    started = time.perf_counter()
    out = run()
    seconds = time.perf_counter() - started
    calls = {k: v - before.get(k, 0) for k, v in gateway.usage().calls.items()
             if v - before.get(k, 0)}
    ok = sum(1 for r in out if getattr(r, "ok", True))
    print(json.dumps({"case": name, "results": len(out), "ok": ok,
                      "http_calls": sum(calls.values()), "seconds": round(seconds, 2),
                      "calls": calls}))


def main() -> None:
    simple_salesforce.bulk2.sleep = lambda s: None  # the emulator finishes jobs at once
    ca = LocalCA(Path(tempfile.mkdtemp()))
    state = SalesforceState.from_seed(_seed(5000), clock=lambda: datetime.now(UTC))
    knobs = SalesforceSettings()
    served = serve(create_app(state, knobs), tls=ca)
    gateway = SalesforceGateway(SalesforceClientSettings(
        login_url=served.url, client_id=knobs.client_id, client_secret=knobs.client_secret,
        ca_bundle=ca.ca_file, bulk_poll_seconds=0), sleep=lambda s: None)
    emails = [f"person{n}@EXAMPLE{n % 50}.com" for n in range(0, 5000, 2)]
    _case("find_by_emails 2500 addresses", gateway, lambda: gateway.find_by_emails(emails))
    rows = [{"HubSpot_Id__c": str(100000 + n), "Lead_Score__c": n % 100} for n in range(1999)]
    _case("upsert 1999 rows (Collections)", gateway,
          lambda: gateway.upsert("Lead", "HubSpot_Id__c", rows))
    rows = [{"HubSpot_Id__c": str(100000 + n), "Lead_Score__c": n % 90} for n in range(5000)]
    _case("upsert 5000 rows (Bulk 2.0)", gateway,
          lambda: gateway.upsert("Lead", "HubSpot_Id__c", rows))
    knobs.lock_error_rate = 0.2
    rows = [{"HubSpot_Id__c": str(100000 + n), "Lead_Score__c": 7} for n in range(1000)]
    _case("upsert 1000 rows, 20% lock errors", gateway,
          lambda: gateway.upsert("Lead", "HubSpot_Id__c", rows))
    served.shutdown()


if __name__ == "__main__":
    main()
