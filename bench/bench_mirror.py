"""The mirror's first fill: every Lead and Contact read by Bulk API 2.0 query jobs.

The Salesforce emulator runs in its own process with ``--records`` people generated into
its state (Leads and Contacts, half each); syncd's gateway reads them all the way the
mirror's first fill does (``people_pages`` with no cursor: chunk by chunk, each chunk let
go once counted, as the mirror step lets it go once stored). Prints API calls by endpoint,
wall time, records per second and the reading process's peak RSS (the emulator's memory
is not counted).

    .venv/bin/python bench/bench_mirror.py [--records 1000000] [--page 50000]
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import resource
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

OWNER = "0055e000000Ow1AAA"[:15]


def _people(n: int) -> dict:
    stamp = {"CreatedDate": "2026-01-05T09:00:00.000+0000", "LastModifiedDate": "2026-01-05T09:00:00.000+0000"}
    leads = [{"FirstName": f"F{i}", "LastName": f"L{i}",
              "Email": f"p{i}@example.com", "Company": f"Co {i % 5000}", "Phone": f"+1312555{i % 10000:04d}",
              "Status": "Open - Not Contacted", "OwnerId": OWNER, **stamp} for i in range(n // 2)]
    contacts = [{"FirstName": f"G{i}", "LastName": f"M{i}",
                 "Email": f"c{i}@example.org", "OwnerId": OWNER, **stamp} for i in range(n - n // 2)]
    return {"org_id": "00D5e000000AbCdEAK", "leads": leads, "contacts": contacts,
            "users": [{"Id": OWNER, "Username": "o@sandbox.example", "Email": "o@x.example",
                       "FirstName": "O", "LastName": "Owner", "IsActive": True}]}


def _serve(records: int, workdir: str, ready) -> None:
    from syncd_sandbox.salesforce import SalesforceSettings, SalesforceState, create_app
    from syncd_sandbox.server import LocalCA, serve

    state = SalesforceState.from_seed(_people(records), clock=lambda: datetime(2026, 3, 2, tzinfo=UTC))
    knobs = SalesforceSettings()
    ca = LocalCA(Path(workdir))
    served = serve(create_app(state, knobs), tls=ca)
    ready.send((served.url, knobs.client_id, knobs.client_secret, str(ca.ca_file)))
    ready.recv()  # until the reader is done
    served.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--page", type=int, default=50_000, help="rows per Bulk 2.0 results page")
    args = parser.parse_args()

    from connectors.salesforce import SalesforceClientSettings, SalesforceGateway

    with tempfile.TemporaryDirectory() as tmp:
        mine, theirs = mp.Pipe()
        started = time.perf_counter()
        server = mp.get_context("fork").Process(target=_serve, args=(args.records, tmp, theirs))
        server.start()
        url, client_id, secret, ca_file = mine.recv()
        print(f"emulator ready with {args.records:,} people in {time.perf_counter() - started:.1f} s")
        gateway = SalesforceGateway(SalesforceClientSettings(
            login_url=url, auth="client_credentials", client_id=client_id, client_secret=secret,
            ca_bundle=Path(ca_file), bulk_poll_seconds=0.5, bulk_query_page_size=args.page, timeout=600))
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        got = {"Lead": 0, "Contact": 0}
        for object_name, records in gateway.people_pages({"Lead": None, "Contact": None}):
            got[object_name] += len(records)
        seconds = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        mine.send("done")
        server.join()
    total = sum(got.values())
    assert total == args.records, (total, args.records)
    usage = gateway.usage()
    print(f"records read: {total:,} (Lead {got['Lead']:,}, Contact {got['Contact']:,})")
    print(f"Salesforce API calls: {usage.total}")
    for name, count in sorted(usage.calls.items()):
        print(f"  {count:6d}  {name}")
    print(f"time: {seconds:.1f} s ({total / seconds:,.0f} records/s)")
    print(f"peak RSS of the reading process: {peak / 1024:,.0f} MB (before the fill: {rss_before / 1024:,.0f} MB)")


if __name__ == "__main__":
    main()
