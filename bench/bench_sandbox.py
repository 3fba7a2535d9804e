"""Benchmark: sandbox throughput through the real client libraries over real HTTP(S).

Run: ``.venv/bin/python bench/bench_sandbox.py [--contacts N] [--seed S]``.

Starts a ``Sandbox`` in-process (HubSpot over http, Salesforce over https), with the
emulators' rate limits lifted so the figures measure the emulators, the middleware (fault
injection and call accounting) and the clients, not the quotas. Then, in order:

- HubSpot search paging: ``search_api.do_search`` over every contact, 200 per page; then
  the same with ``_preload_content=False`` (raw JSON: the client's model building, mostly
  ``dateutil`` parsing two timestamps per record, is most of the time of the first line);
- HubSpot batch read: ``batch_api.read``, 100 ids per call, every contact;
- Salesforce Collections upsert: ``PATCH composite/sobjects/Lead/HubSpot_Id__c``, 200 per
  call, N new Leads;
- Salesforce Bulk 2.0 upsert: ``bulk2.Lead.upsert`` of N more new Leads (one job,
  polled without waiting);
- Salesforce query paging: ``query_all_iter`` over every Lead (seeded and written).

Each benchmark runs ``--repeat`` times (writes insert fresh Leads each time, so the query
sees the seeded Leads plus all written ones); the fastest run is reported, as records, API
calls (from the sandbox's call accounting), seconds and records/s.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import requests
from hubspot import HubSpot
from hubspot.crm.contacts import (BatchReadInputSimplePublicObjectId, PublicObjectSearchRequest,
                                  SimplePublicObjectId)
from simple_salesforce import Salesforce
from urllib3.util.retry import Retry

from syncd_sandbox.runtime import Sandbox

Prepare = Callable[[HubSpot, Salesforce, int, int], object]  # (clients, contacts, round)
Run = Callable[[HubSpot, Salesforce, object], int]

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)
PROPS = ["email", "firstname", "lastname", "company", "lifecyclestage", "lastmodifieddate"]
LEAD_FIELDS = "Id, Email, FirstName, LastName, Company, Status, HubSpot_Id__c, LastModifiedDate"


def hubspot_search(hs: HubSpot, _: Salesforce, __: object) -> int:
    seen, after = 0, None
    while True:
        page = hs.crm.contacts.search_api.do_search(public_object_search_request=(
            PublicObjectSearchRequest(limit=200, after=after, properties=PROPS,
                                      sorts=[{"propertyName": "hs_object_id",
                                              "direction": "ASCENDING"}])))
        seen += len(page.results)
        if not page.paging or not page.paging.next:
            return seen
        after = page.paging.next.after


def hubspot_search_raw(hs: HubSpot, _: Salesforce, __: object) -> int:
    """The same paging with ``_preload_content=False``: the client skips building models."""
    seen, after = 0, None
    while True:
        response = hs.crm.contacts.search_api.do_search(
            public_object_search_request=PublicObjectSearchRequest(
                limit=200, after=after, properties=PROPS,
                sorts=[{"propertyName": "hs_object_id", "direction": "ASCENDING"}]),
            _preload_content=False)
        page = json.loads(response.data)
        seen += len(page["results"])
        if not page.get("paging"):
            return seen
        after = page["paging"]["next"]["after"]


def contact_ids(hs: HubSpot, _: Salesforce, __: int, ___: int) -> list[str]:
    return [c.id for c in hs.crm.contacts.get_all(properties=["email"])]


def hubspot_batch_read(hs: HubSpot, _: Salesforce, ids: list[str]) -> int:
    read = 0
    for i in range(0, len(ids), 100):
        inputs = [SimplePublicObjectId(id=x) for x in ids[i:i + 100]]
        read += len(hs.crm.contacts.batch_api.read(
            batch_read_input_simple_public_object_id=BatchReadInputSimplePublicObjectId(
                inputs=inputs, properties=PROPS), archived=False).results)
    return read


def new_leads(prefix: str) -> Prepare:
    """N Leads never seen before (a fresh key per round, so every round inserts)."""
    def build(_: HubSpot, __: Salesforce, n: int, round_: int) -> list[dict]:
        key = f"{prefix}{round_}-"
        return [{"HubSpot_Id__c": f"{key}{i}", "LastName": f"Bench{i}",
                 "Company": "Bench Inc", "Email": f"bench.{key}{i}@example.com",
                 "Lifecycle_Stage__c": "Lead"} for i in range(n)]
    return build


def salesforce_collections(_: HubSpot, sf: Salesforce, leads: list[dict]) -> int:
    done = 0
    for i in range(0, len(leads), 200):
        records = [{"attributes": {"type": "Lead"}, **lead} for lead in leads[i:i + 200]]
        out = sf.restful("composite/sobjects/Lead/HubSpot_Id__c", method="PATCH",
                         json={"allOrNone": False, "records": records})
        done += sum(1 for r in out if r["success"])
    return done


def salesforce_bulk(_: HubSpot, sf: Salesforce, leads: list[dict]) -> int:
    results = sf.bulk2.Lead.upsert(records=leads, external_id_field="HubSpot_Id__c", wait=0)
    return sum(int(r["numberRecordsProcessed"]) - int(r["numberRecordsFailed"]) for r in results)


def salesforce_query(_: HubSpot, sf: Salesforce, __: object) -> int:
    return sum(1 for _ in sf.query_all_iter(f"SELECT {LEAD_FIELDS} FROM Lead"))


def nothing(_: HubSpot, __: Salesforce, ___: int, ____: int) -> None:
    return None


#: (name, system, untimed preparation, timed run)
BENCHES: list[tuple[str, str, Prepare, Run]] = [
    ("HubSpot search paging (200/page)", "hubspot", nothing, hubspot_search),
    ("  same, _preload_content=False", "hubspot", nothing, hubspot_search_raw),
    ("HubSpot batch read (100/call)", "hubspot", contact_ids, hubspot_batch_read),
    ("Salesforce Collections upsert (200/call)", "salesforce", new_leads("c"),
     salesforce_collections),
    ("Salesforce Bulk 2.0 upsert (1 job)", "salesforce", new_leads("b"), salesforce_bulk),
    ("Salesforce query paging (query_all_iter)", "salesforce", nothing, salesforce_query),
]


def clients(sandbox: Sandbox) -> tuple[HubSpot, Salesforce]:
    e = sandbox.endpoints
    hs = HubSpot(access_token=e.hubspot_token, host=e.hubspot_url, retry=Retry(total=0))
    session = requests.Session()
    session.verify, session.trust_env = e.ca_bundle, False
    sf = Salesforce(consumer_key=e.salesforce_client_id,
                    consumer_secret=e.salesforce_client_secret,
                    domain=f"{e.salesforce_url.removeprefix('https://')}/services/oauth2/token?",
                    session=session)
    return hs, sf


def lift_limits(sandbox: Sandbox, contacts: int) -> None:
    sandbox.update_settings("hubspot", {"rate_limit_per_10s": None, "daily_limit": None,
                                        "search_per_second": None,
                                        "search_total_cap": max(10_000, contacts * 2)})
    sandbox.update_settings("salesforce", {"daily_api_limit": 100_000_000})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs per benchmark; the fastest is reported (default 3)")
    args = parser.parse_args()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp, Sandbox.start(
            seed=args.seed, contacts=args.contacts, now=NOW, workdir=Path(tmp)) as sandbox:
        print(f"sandbox with {args.contacts} contacts started in "
              f"{time.perf_counter() - started:.1f} s")
        lift_limits(sandbox, args.contacts)
        hs, sf = clients(sandbox)
        print(f"{'benchmark':44} {'records':>8} {'calls':>6} {'seconds':>8} {'records/s':>10}")
        for name, system, prepare, run in BENCHES:
            records, calls, took = min((measure(sandbox, system, prepare, run, hs, sf,
                                                args.contacts, r) for r in range(args.repeat)),
                                       key=lambda m: m[2])
            print(f"{name:44} {records:>8} {calls:>6} {took:>8.2f} {records / took:>10,.0f}")


def measure(sandbox: Sandbox, system: str, prepare: Prepare, run: Run, hs: HubSpot,
            sf: Salesforce, contacts: int, round_: int) -> tuple[int, int, float]:
    """One timed run: (records, API calls, seconds); the preparation is not timed."""
    arg = prepare(hs, sf, contacts, round_)
    calls = sandbox.accounting.calls(system)
    started = time.perf_counter()
    records = run(hs, sf, arg)
    took = time.perf_counter() - started
    return records, sandbox.accounting.calls(system) - calls, took


if __name__ == "__main__":
    main()
