"""All data of one emulated org, behind one lock."""

from __future__ import annotations

import copy
import hashlib
import random
import threading
from collections.abc import Callable
from datetime import UTC, date, datetime

from .errors import RowError
from .ids import KEY_PREFIXES, make_id, normalize_id
from .schema import build_schema
from .seed import load_records
from .soql_values import format_datetime
from .store import Store
from .writes import WriteContext, create, update

__all__ = ["SalesforceState", "SalesforceWriteError"]

_DEFAULT_STATUSES = [
    {"MasterLabel": "Open - Not Contacted", "ApiName": "Open - Not Contacted", "SortOrder": 1,
     "IsDefault": True, "IsConverted": False},
    {"MasterLabel": "Working - Contacted", "ApiName": "Working - Contacted", "SortOrder": 2,
     "IsDefault": False, "IsConverted": False},
    {"MasterLabel": "Nurture", "ApiName": "Nurture", "SortOrder": 3, "IsDefault": False,
     "IsConverted": False},
    {"MasterLabel": "Unqualified", "ApiName": "Unqualified", "SortOrder": 4,
     "IsDefault": False, "IsConverted": False},
    {"MasterLabel": "Closed - Not Converted", "ApiName": "Closed - Not Converted",
     "SortOrder": 5, "IsDefault": False, "IsConverted": False},
    {"MasterLabel": "Closed - Converted", "ApiName": "Closed - Converted", "SortOrder": 6,
     "IsDefault": False, "IsConverted": True},
]


class SalesforceWriteError(ValueError):
    """A write made through the state (as a user in the UI) broke a validation rule."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__("; ".join(f"{e.code}: {e.message}" for e in errors))
        self.errors = errors


class SalesforceState:
    """Records, sessions, query cursors and Bulk jobs of one org; thread-safe (one lock)."""

    def __init__(self, *, org_id: str, statuses: list[dict], overrides: dict | None,
                 clock: Callable[[], datetime]) -> None:
        self.lock = threading.RLock()
        self.clock = clock
        self.org_id = org_id
        default = next((s["ApiName"] for s in statuses if s.get("IsDefault")), None)
        self.schemas = build_schema(overrides, [s["ApiName"] for s in statuses], default)
        self.store = Store(self.schemas)
        self.sessions: dict[str, datetime] = {}
        self.session_count = 0
        self.api_calls_today = 0
        self.api_day: date = clock().date()  # the count restarts when the clock's day changes
        self.jobs: dict[str, dict] = {}
        self.query_jobs: dict[str, dict] = {}
        self.query_job_count = 0
        self.cursors: dict[str, tuple[list[dict], int]] = {}
        self.cursor_count = 0
        self._rng: tuple[int, random.Random] | None = None
        self.integration_user_id = ""

    @classmethod
    def from_seed(cls, data: dict, *, clock: Callable[[], datetime] | None = None
                  ) -> "SalesforceState":
        """Load an org seed (see the package docs for the format)."""
        statuses = data.get("lead_statuses") or _DEFAULT_STATUSES
        state = cls(org_id=data.get("org_id", "00D5e000000AbCdEAK"), statuses=statuses,
                    overrides=data.get("schema_overrides"),
                    clock=clock or (lambda: datetime.now(UTC)))
        with state.lock:
            load_records(state.store, data, statuses, state.now_text())
            users = list(state.store.tables["User"])
            state.integration_user_id = users[0] if users else state._add_integration_user()
        return state

    def _add_integration_user(self) -> str:
        ident = make_id(KEY_PREFIXES["User"], 1)
        now = self.now_text()
        self.store.put("User", {
            "Id": ident, "Username": "integration@sandbox.example", "FirstName": "Integration",
            "LastName": "User", "Name": "Integration User", "IsActive": True,
            "Email": "integration@sandbox.example", "IsDeleted": False, "CreatedDate": now,
            "CreatedById": ident, "LastModifiedDate": now, "LastModifiedById": ident,
            "SystemModstamp": now})
        return ident

    def now_text(self) -> str:
        return format_datetime(self.clock())

    def dump(self) -> dict:
        """The whole org as JSON-able data, deterministic for a given seed and history."""
        with self.lock:
            return copy.deepcopy({
                "org_id": self.org_id,
                "objects": {name: list(table.values())
                            for name, table in self.store.tables.items()},
                "jobs": [self.jobs[k] for k in sorted(self.jobs)],
                "api_calls_today": self.api_calls_today,
            })

    def write_context(self, *, api: bool, lock_rate: float = 0.0, seed: int = 0,
                      allow_save: bool = False, as_user: str | None = None) -> WriteContext:
        """A context for one request (API) or one user action (UI, as ``as_user`` when
        given, else the integration user); caller holds the lock."""
        return WriteContext(store=self.store, now=self.now_text(),
                            user_id=as_user or self.integration_user_id,
                            default_owner=as_user or self.integration_user_id,
                            allow_save=allow_save or not api,
                            lock_rate=lock_rate if api else 0.0,
                            rng=self._lock_rng(seed) if api and lock_rate > 0 else None)

    def _lock_rng(self, seed: int) -> random.Random:
        if self._rng is None or self._rng[0] != seed:
            self._rng = (seed, random.Random(seed))
        return self._rng[1]

    def insert(self, object_name: str, fields: dict, *, as_user: str | None = None) -> str:
        """Create a record as a user in the UI would (validated, dates stamped); its id."""
        with self.lock:
            out = create(self.write_context(api=False, as_user=as_user),
                         self._object(object_name), fields)
            if not out.ok:
                raise SalesforceWriteError(out.errors)
            return out.id

    def update(self, object_name: str, record_id: str, fields: dict, *,
               as_user: str | None = None) -> None:
        """Change a record as a user in the UI would (e.g. sales sets a Lead Status)."""
        with self.lock:
            out = update(self.write_context(api=False, as_user=as_user),
                         self._object(object_name), record_id, fields)
            if not out.ok:
                raise SalesforceWriteError(out.errors)

    def get(self, object_name: str, record_id: str) -> dict | None:
        """A copy of one record (deleted ones included), or None."""
        with self.lock:
            found = self.store.get(self._object(object_name), record_id)
            return dict(found) if found else None

    def records(self, object_name: str) -> list[dict]:
        """Copies of all live records of an object, in creation order."""
        with self.lock:
            table = self.store.tables[self._object(object_name)]
            return [dict(r) for r in table.values() if not r.get("IsDeleted")]

    def convert_lead(self, lead_id: str, *, account_id: str | None = None) -> tuple[str, str]:
        """Convert a Lead as sales does in the UI; returns (contact_id, account_id)."""
        from .convert import convert_lead

        with self.lock:
            return convert_lead(self, normalize_id(lead_id), account_id)

    def expire_sessions(self) -> None:
        """Invalidate every issued access token."""
        with self.lock:
            self.sessions.clear()

    def issue_session(self) -> str:
        """A new access token, deterministic for the org and the number issued so far."""
        with self.lock:
            self.session_count += 1
            digest = hashlib.sha256(f"{self.org_id}:{self.session_count}".encode()).hexdigest()
            token = f"{self.org_id[:15]}!AQ{digest[:60]}"
            self.sessions[token] = self.clock()
            return token

    def _object(self, name: str) -> str:
        if name not in self.schemas:
            raise KeyError(f"unknown sObject {name!r}; known: {sorted(self.schemas)}")
        return name
