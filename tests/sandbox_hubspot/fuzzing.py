"""Fuzzing the HubSpot emulator with schemathesis, from HubSpot's published documents.

Each operation the emulator serves is fuzzed in schemathesis' positive mode (requests the
document allows) and negative mode (requests it forbids), straight through the WSGI app.
Whatever is sent, the emulator must answer as HubSpot does: never a 5xx (an exception in
the app is a 500 on the wire), errors in HubSpot's JSON shape (``status: "error"``,
``message``, ``correlationId``, ``category``), and every response valid against the
document (read with the adjustments of ``contract_specs``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import given
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from syncd_sandbox.hubspot.contract_specs import fuzz_document
from syncd_sandbox.hubspot.routes import build_routes

__all__ = ["DOCUMENTS", "FuzzReport", "emulated_operations", "fuzz_operation", "error_shape_problem"]

# The documents of the APIs the emulator implements (lists and webhooks are not emulated).
# objects.json is the generic form of the per-type documents: its operations are fuzzed
# with ``objectType`` restricted to the types the emulator serves for each of them.
DOCUMENTS = ("contacts", "emails", "calls", "meetings", "notes", "tasks", "associations",
             "properties", "crmOwners", "events", "forms", "objects")
OBJECT_TYPES = {"contacts": "contactId", "emails": "emailId", "calls": "callId",
                "meetings": "meetingId", "notes": "noteId", "tasks": "taskId"}
ERROR_KEYS = ("status", "message", "correlationId", "category")


def _served_types(method: str, path: str, labels: set[str]) -> list[str]:
    """Object types for which the emulator serves the generic ``method path``."""
    return [t for t, id_name in OBJECT_TYPES.items()
            if f"{method} " + path.replace("{objectType}", t).replace("{objectId}", "{" + id_name + "}")
            in labels]


def _document(specs_dir: Path, name: str) -> dict:
    doc = fuzz_document(specs_dir, name)
    if name == "objects":
        labels = set(build_routes()[1])
        for path, ops in doc["paths"].items():
            for method, op in ops.items():
                types = _served_types(method.upper(), path, labels)
                for param in op.get("parameters", []):
                    if param["name"] == "objectType" and types:
                        param["schema"] = {"type": "string", "enum": types}
    return doc


@lru_cache(maxsize=None)
def _schema(specs_dir: Path, name: str) -> Any:
    config = schemathesis.config.SchemathesisConfig()
    return schemathesis.openapi.from_dict(_document(specs_dir, name), config=config)


def emulated_operations(specs_dir: Path) -> list[tuple[str, str, str]]:
    """(document, METHOD, path template) of every documented operation the emulator serves."""
    labels = set(build_routes()[1])
    out = []
    for name in DOCUMENTS:
        doc = fuzz_document(specs_dir, name)
        for path, ops in doc["paths"].items():
            out += [(name, m.upper(), path) for m in ops
                    if f"{m.upper()} {path}" in labels or _served_types(m.upper(), path, labels)]
    return out


def error_shape_problem(status: int, body: bytes) -> str | None:
    """What is wrong with an error response's body, or None when it is HubSpot's shape."""
    if status < 400:
        return None
    try:
        data = json.loads(body)
    except ValueError:
        return f"{status} with a body that is not JSON: {body[:120]!r}"
    if not isinstance(data, dict) or data.get("status") != "error":
        return f"{status} without \"status\": \"error\": {data!r:.200}"
    missing = [k for k in ERROR_KEYS if not isinstance(data.get(k), str) or not data.get(k)]
    return f"{status} error body lacks {missing}: {data!r:.200}" if missing else None


@dataclass
class FuzzReport:
    """Requests sent per generation mode and the statuses seen."""

    sent: dict[str, int] = field(default_factory=dict)
    statuses: dict[int, int] = field(default_factory=dict)

    def count(self, mode: str, status: int) -> None:
        self.sent[mode] = self.sent.get(mode, 0) + 1
        self.statuses[status] = self.statuses.get(status, 0) + 1


def _describe(case: Any) -> str:
    return (f"{case.method} {case.formatted_path} query={case.query!r} "
            f"body={json.dumps(case.body, default=str)[:400] if case.body is not None else None}")


def _check(case: Any, app: Any, headers: dict) -> int:
    try:
        response = case.call(app=app, headers=headers)
    except Exception as exc:  # an exception out of a WSGI app is a 500 on the wire
        raise AssertionError(f"{_describe(case)}: the emulator raised {exc!r} (a 500)") from exc
    status = response.status_code
    assert status < 500, f"{_describe(case)}: {status} {response.text[:300]}"
    problem = error_shape_problem(status, response.content)
    assert problem is None, f"{_describe(case)}: {problem}"
    try:
        case.validate_response(response, checks=[content_type_conformance,
                                                  response_schema_conformance])
    except Exception as exc:
        raise AssertionError(f"{_describe(case)} -> {status}: response breaks the document: "
                             f"{str(exc)[:600]}") from None
    return status


def fuzz_operation(specs_dir: Path, document: str, method: str, path: str, app: Any,
                   headers: dict, settings: Any) -> FuzzReport:
    """Fuzz one operation in both modes; raises AssertionError on the first bad answer.
    Negative mode is skipped for operations whose every input is unconstrained text (no
    request the document forbids can be built), which the report shows."""
    operation = _schema(specs_dir, document)[path][method]
    report = FuzzReport()
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        @settings
        @given(operation.as_strategy(generation_mode=mode))
        def run(case: Any) -> None:
            report.count(mode.value, _check(case, app, headers))
        try:
            run()
        except Unsatisfiable:
            if mode is GenerationMode.POSITIVE:
                raise
    return report
