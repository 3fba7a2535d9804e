"""The request log: what an emulator served, in order, bounded, with large bodies left out."""

from __future__ import annotations

from werkzeug.test import Client

from syncd_sandbox.requestlog import RequestLog

from .conftest import NOW, echo_app


def _log(**kw) -> tuple[RequestLog, Client]:
    log = RequestLog(echo_app("hubspot"), clock=lambda: NOW, **kw)
    return log, Client(log)


def test_requests_are_kept_in_order_with_their_json_body_and_status():
    log, client = _log()
    client.post("/a", json={"inputs": [1]})
    client.get("/b?x=1")
    entries = log.entries()
    assert [(e["seq"], e["method"], e["path"], e["status"]) for e in entries] == [
        (1, "POST", "/a", 200), (2, "GET", "/b", 200)]
    assert entries[0]["body"] == {"inputs": [1]} and entries[1]["query"] == "x=1"
    assert entries[0]["endpoint"] == "POST /items/{id}" and entries[0]["at"] == NOW.isoformat()
    assert [e["path"] for e in log.entries(method="get")] == ["/b"]
    assert [e["seq"] for e in log.entries(since=1)] == [2]
    assert log.entries(path="/a/") == entries[:1]


def test_the_log_is_bounded_and_large_bodies_are_kept_as_their_size():
    log, client = _log(limit=3, max_body=10)
    for n in range(5):
        client.post(f"/p{n}", data="x" * (5 + n * 3), content_type="text/csv")
    entries = log.entries()
    assert [e["path"] for e in entries] == ["/p2", "/p3", "/p4"]
    assert [e["body"] for e in entries] == [{"omitted_bytes": n} for n in (11, 14, 17)]
    client.post("/small", data="y" * 10, content_type="text/csv")
    assert log.entries()[-1]["body"] == "y" * 10
    log.clear()
    assert log.entries() == []
    client.get("/again")
    assert log.entries()[0]["seq"] == 7  # sequence numbers keep counting
