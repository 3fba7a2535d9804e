"""Throughput of the emulator through simple-salesforce over TLS (not a test; prints figures).

Run: .venv/bin/python -m tests.sandbox_salesforce.perf_check
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import requests
from simple_salesforce import Salesforce

from syncd_sandbox.salesforce import SalesforceSettings, SalesforceState, create_app
from syncd_sandbox.server import LocalCA, serve

from .conftest import small_seed

N = 20_000


def main() -> None:
    state = SalesforceState.from_seed(small_seed(N))
    settings = SalesforceSettings()
    ca = LocalCA(Path(tempfile.mkdtemp()))
    served = serve(create_app(state, settings), tls=ca)
    session = requests.Session()
    session.verify, session.trust_env = str(ca.ca_file), False
    sf = Salesforce(consumer_key=settings.client_id, consumer_secret=settings.client_secret,
                    domain=f"{served.url.removeprefix('https://')}/services/oauth2/token?",
                    session=session)
    start = time.perf_counter()
    rows = list(sf.query_all_iter("SELECT Id, Email, HubSpot_Id__c, Status, LastModifiedDate "
                                  "FROM Lead"))
    took = time.perf_counter() - start
    print(f"query paging: {len(rows)} records in {took:.2f} s = {len(rows) / took:,.0f} rec/s")
    start = time.perf_counter()
    done = 0
    for chunk in range(0, N, 200):
        records = [{"attributes": {"type": "Lead"}, "HubSpot_Id__c": str(1000 + n),
                    "Lead_Score__c": n % 100, "Buying_Intent__c": "active",
                    "Lifecycle_Stage__c": "MQL"}
                   for n in range(chunk, chunk + 200)]
        out = sf.restful("composite/sobjects/Lead/HubSpot_Id__c", method="PATCH",
                         json={"allOrNone": False, "records": records})
        done += sum(1 for r in out if r["success"])
    took = time.perf_counter() - start
    print(f"collections upsert: {done} records in {took:.2f} s = {done / took:,.0f} rec/s")
    served.shutdown()


if __name__ == "__main__":
    main()
