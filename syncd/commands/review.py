"""``syncd review``: the queue of people syncd will not write until a person decides.

``list`` the items, ``show ID`` one with its candidates and evidence, ``accept ID
[--target RECORD]`` (the item is that record), ``reject ID`` (none of the candidates).
Offline records (``offline:<file>:<line>``) and HubSpot contacts share the queue.
"""

from __future__ import annotations

import argparse
import json
import sys

from syncd.commands._common import add_config_option, with_app

EXIT_REFUSED = 1


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("review", help="list and decide the people parked for review")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    add_config_option(actions.add_parser("list", help="the items waiting"))
    for name, text in (("show", "one item with its candidates"), ("accept", "the item is this record"),
                       ("reject", "the item is none of its candidates")):
        one = actions.add_parser(name, help=text)
        one.add_argument("id", help="the item's id (syncd review list)")
        add_config_option(one)
        if name == "accept":
            one.add_argument("--target", help="the candidate record (needed when there are several)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    return with_app(args, lambda app: _ACTIONS[args.action](app, args))


def _list(app, args) -> int:
    items = sorted(app.store.review_items(), key=lambda r: (r["created_at"], r["hubspot_id"]))
    if not items:
        print("the review queue is empty")
        return 0
    for item in items:
        reason = item["reason"] if len(item["reason"]) <= 100 else item["reason"][:99] + "…"
        print(f"{item['hubspot_id']}\t{', '.join(item['candidates'])}\t{reason}")
    print(f"\n{len(items)} item(s); syncd review show ID for the evidence")
    return 0


def _show(app, args) -> int:
    item = app.store.review_item(args.id)
    if item is None:
        print(f"syncd review: no review item {args.id!r}", file=sys.stderr)
        return EXIT_REFUSED
    out = {"id": item["hubspot_id"], "reason": item["reason"], "queued_at": item["created_at"],
           "candidates": {c: _candidate(app.store, c) for c in item["candidates"]}}
    if item["hubspot_id"].startswith("offline:"):
        _, prefix, line = item["hubspot_id"].split(":")
        out["record"] = next((r["fields"] for r in app.store.offline_rows(status="review")
                              if r["content_hash"].startswith(prefix) and str(r["line"]) == line), None)
    else:
        out["contact"] = (app.store.contact(item["hubspot_id"]) or {}).get("properties")
    print(json.dumps(out, indent=2, ensure_ascii=False, default=str))
    return 0


def _candidate(store, ref: str):
    kind, _, rid = ref.partition(":")
    if kind == "hs":
        return (store.contact(rid) or {}).get("properties")
    return store.mirror_rows([rid or ref]).get(rid or ref)


def _decide(accept: bool):
    def run_decision(app, args) -> int:
        from syncd.offline.review import ReviewError, decide

        try:
            print(decide(app.store, app.hubspot, args.id, accept=accept, target=getattr(args, "target", None),
                         policy=app.config.offline.create_contacts, now=app.clock.now()))
        except ReviewError as exc:
            print(f"syncd review: {exc}", file=sys.stderr)
            return EXIT_REFUSED
        return 0
    return run_decision


_ACTIONS = {"list": _list, "show": _show, "accept": _decide(True), "reject": _decide(False)}
