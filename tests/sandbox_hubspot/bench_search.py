"""Measure search paging throughput through the real client (not collected by pytest).

    .venv/bin/python -m tests.sandbox_hubspot.bench_search [contacts] [--same-process] [--raw]

Pages every contact matching a lastmodifieddate filter, 200 per page, rate limits off,
and prints records per second. By default the emulator runs in a child process, as the
sandbox does beside syncd; ``--same-process`` shares one interpreter (and its GIL).
``--raw`` passes ``_preload_content=False`` and reads the JSON itself, skipping the SDK's
model building (whose dateutil parsing of createdAt/updatedAt dominates the default path).
"""

from __future__ import annotations

import json
import multiprocessing
import sys
import time

from hubspot import HubSpot

from .conftest import TOKEN, contact_row, open_portal, seed


def _serve(n: int, urls: multiprocessing.Queue, stop: multiprocessing.Event) -> None:
    portal = open_portal(seed(contacts=[contact_row(i) for i in range(1, n + 1)]),
                         search_total_cap=10**9)
    portal.recorder.exchanges = _Discard()  # keep memory flat; the contract is tested elsewhere
    urls.put(portal.served.url)
    stop.wait()


class _Discard(list):
    def append(self, item) -> None:  # noqa: D102 - drop recorded exchanges
        return None


def page_all(url: str, raw: bool = False) -> tuple[int, float]:
    """Page the whole result set; returns (records, seconds)."""
    api = HubSpot(access_token=TOKEN, host=url).crm.contacts.search_api
    body = {"filterGroups": [{"filters": [{"propertyName": "lastmodifieddate", "operator": "GTE",
                                           "value": "0"}]}],
            "sorts": ["lastmodifieddate"], "limit": 200, "after": "0",
            "properties": ["email", "firstname", "lastname", "lifecyclestage", "company"]}
    started, seen = time.perf_counter(), 0
    while True:
        if raw:
            data = json.loads(api.do_search(public_object_search_request=body,
                                            _preload_content=False).data)
            seen += len(data["results"])
            after = data.get("paging", {}).get("next", {}).get("after")
        else:
            page = api.do_search(public_object_search_request=body)
            seen += len(page.results)
            after = page.paging.next.after if page.paging else None
        if after is None:
            return seen, time.perf_counter() - started
        body["after"] = after


def main(n: int, same_process: bool, raw: bool) -> None:
    urls, stop = multiprocessing.Queue(), multiprocessing.Event()
    if same_process:
        import threading
        threading.Thread(target=_serve, args=(n, urls, stop), daemon=True).start()
    else:
        multiprocessing.Process(target=_serve, args=(n, urls, stop), daemon=True).start()
    url = urls.get(timeout=120)
    seen, elapsed = page_all(url, raw)
    stop.set()
    where = ("same process" if same_process else "emulator in a child process") + (
        ", raw JSON" if raw else ", SDK models")
    print(f"{seen} records in {elapsed:.2f} s = {seen / elapsed:,.0f} records/s ({where})")


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    main(int(args[0]) if args else 50_000, "--same-process" in sys.argv, "--raw" in sys.argv)
