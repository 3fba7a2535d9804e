"""Deterministic fault injection in front of the emulators, and its compact spec language.

A fault spec is a ``;``-separated list of items; whitespace around items is ignored::

    spec    := item (";" item)*
    item    := "seed=" INT                       RNG seed of every rule (default 0)
             | SYSTEM "." KNOB "=" VALUE         an emulator setting, e.g. salesforce.lock_error_rate=0.1
             | SYSTEM ":" ENDPOINT ":" ACTION (":" OPTION)*
    SYSTEM  := "hubspot" | "salesforce" | "*"    ("*" only in rules)
    ENDPOINT:= "*"                               every call
             | METHOD " " GLOB                   e.g. "POST /crm/v3/objects/contacts/search"
             | "/" GLOB                          a path, any method
             | "re:" REGEX                       searched in "<METHOD> <path>"
    ACTION  := "status=" (429|500|502|503)       answer with the vendor's error body
             | "latency=" MS                     delay the call, then serve it
             | "timeout=" MS                     hold the call MS ms (<= 120000), then 504
             | "expire_sessions"                 (salesforce only) invalidate every session,
                                                 then serve the call: the client gets 401
    OPTION  := "rate=" FLOAT(0..1)  "times=" INT  "after=" INT

Example: ``hubspot:POST /crm/v3/objects/*/search:status=429:rate=0.2;salesforce:*:latency=50;seed=7``.
Globs use ``fnmatch`` (``*`` also crosses ``/``). Regexes may contain ``:`` but not ``;``.
Knobs: see ``KNOBS``. Salesforce has no 429: a Salesforce "429" is answered as Salesforce
does, with 403 ``REQUEST_LIMIT_EXCEEDED``.

Example of a token expiry mid-run: ``salesforce:*:expire_sessions:after=40:times=1``.

Rules are evaluated in order for each call: every firing latency rule adds its delay, every
firing expire_sessions rule expires the sessions; the first firing status or timeout rule
answers the call and ends evaluation. A rule skips its
first ``after`` matching calls, then fires with probability ``rate`` (its own RNG, seeded
from ``seed`` and its position) at most ``times`` times. Same seed and same call sequence
give the same faults.
"""

from __future__ import annotations

import fnmatch
import json
import random
import re
import threading
import uuid
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from typing import Any

__all__ = ["KNOBS", "FaultInjector", "FaultPlan", "FaultRule", "FaultSpecError", "check_knob",
           "parse_faults"]

SYSTEMS = ("hubspot", "salesforce")
STATUSES = (429, 500, 502, 503)
MAX_HOLD_MS = 120_000
KINDS = ("status", "latency", "timeout", "expire_sessions")
_ACTIONS = set(KINDS)

#: Emulator settings a spec or the admin API may change: name -> (type, lowest, highest,
#: whether None / "none" means unlimited).
KNOBS: dict[str, dict[str, tuple[type, float, float | None, bool]]] = {
    "hubspot": {"rate_limit_per_10s": (int, 1, None, True), "daily_limit": (int, 1, None, True),
                "search_per_second": (int, 1, None, True),
                "search_total_cap": (int, 1, None, False)},
    "salesforce": {"lock_error_rate": (float, 0.0, 1.0, False),
                   "session_ttl_seconds": (float, 1, None, False),
                   "daily_api_limit": (int, 1, None, False),
                   "bulk_records_per_poll": (int, 1, None, True)},
}


class FaultSpecError(ValueError):
    """A fault spec, rule or knob is invalid; the message names the item, field and fix."""


def _fail(where: str, message: str) -> FaultSpecError:
    return FaultSpecError(f"{where}: {message}" if where else message)


@dataclass(frozen=True, kw_only=True)
class FaultRule:
    """One fault: which calls it matches, what it does, how often."""

    system: str = "*"
    endpoint: str = "*"
    kind: str
    status: int | None = None
    rate: float = 1.0
    latency_ms: int = 0
    times: int | None = None
    after: int = 0

    def __post_init__(self) -> None:
        self.validate("")

    def validate(self, where: str) -> None:
        """Raise ``FaultSpecError`` naming the first bad field."""
        if self.system not in (*SYSTEMS, "*"):
            raise _fail(where, f'system must be hubspot, salesforce or *, found "{self.system}"')
        if self.kind not in KINDS:
            raise _fail(where, f'kind must be one of {", ".join(KINDS)}, found "{self.kind}"')
        if self.kind == "expire_sessions" and self.system != "salesforce":
            raise _fail(where, "expire_sessions only applies to salesforce sessions; "
                               f'write "salesforce:..." instead of "{self.system}:..."')
        if self.kind == "status" and self.status not in STATUSES:
            raise _fail(where, f"status must be one of {', '.join(map(str, STATUSES))}, "
                               f"found {self.status!r}")
        if self.kind != "status" and self.status is not None:
            raise _fail(where, f"status only goes with kind status, not {self.kind}")
        if isinstance(self.rate, bool) or not isinstance(self.rate, int | float) \
                or not 0.0 <= self.rate <= 1.0:
            raise _fail(where, f"rate must be a number from 0 to 1, found {self.rate!r}")
        limit = MAX_HOLD_MS if self.kind == "timeout" else 60_000
        if not _is_int(self.latency_ms) or not 0 <= self.latency_ms <= limit:
            raise _fail(where, f"latency_ms ({self.kind}= in a spec) must be a whole number "
                               f"of ms from 0 to {limit}, found {self.latency_ms!r}")
        if self.times is not None and (not _is_int(self.times) or self.times < 0):
            raise _fail(where, f"times must be a whole number >= 0, found {self.times!r}")
        if not _is_int(self.after) or self.after < 0:
            raise _fail(where, f"after must be a whole number >= 0, found {self.after!r}")
        _endpoint_matcher(self.endpoint, where)

    def matches(self, system: str, method: str, path: str) -> bool:
        """Whether a call to ``system`` with ``method`` and ``path`` is one of this rule's."""
        if self.system not in ("*", system):
            return False
        return _endpoint_matcher(self.endpoint, "")(method.upper(), path)

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


_MATCHERS: dict[str, Callable[[str, str], bool]] = {}


def _endpoint_matcher(endpoint: str, where: str) -> Callable[[str, str], bool]:
    """Compile (and cache) an endpoint pattern into ``(method, path) -> bool``."""
    if isinstance(endpoint, str) and endpoint in _MATCHERS:
        return _MATCHERS[endpoint]
    if not isinstance(endpoint, str) or not endpoint.strip():
        raise _fail(where, 'endpoint must be "*", "METHOD /path-glob", "/path-glob" or "re:REGEX"')
    if endpoint == "*":
        matcher = lambda m, p: True  # noqa: E731
    elif endpoint.startswith("re:"):
        try:
            rx = re.compile(endpoint[3:])
        except re.error as exc:
            raise _fail(where, f"endpoint regex {endpoint[3:]!r} is invalid: {exc}") from None
        matcher = lambda m, p: rx.search(f"{m} {p}") is not None  # noqa: E731
    elif endpoint.startswith("/"):
        matcher = lambda m, p: fnmatch.fnmatchcase(p, endpoint)  # noqa: E731
    else:
        method, _, glob = endpoint.partition(" ")
        if not method.isalpha() or not glob.startswith("/"):
            raise _fail(where, f'endpoint "{endpoint}" must look like "POST /crm/v3/objects/*", '
                               '"/path-glob", "re:REGEX" or "*"')
        want = f"{method.upper()} {glob.strip()}"
        matcher = lambda m, p: fnmatch.fnmatchcase(f"{m} {p}", want)  # noqa: E731
    _MATCHERS[endpoint] = matcher
    return matcher


def check_knob(system: str, name: str, value: object, where: str = "") -> int | float | None:
    """Validate one emulator setting and return it with its proper type (None: unlimited)."""
    if system not in KNOBS:
        raise _fail(where, f'settings system must be hubspot or salesforce, found "{system}"')
    if name not in KNOBS[system]:
        raise _fail(where, f'unknown {system} setting "{name}"; known: '
                           f'{", ".join(sorted(KNOBS[system]))}')
    kind, low, high, nullable = KNOBS[system][name]
    if nullable and (value is None or str(value).lower() in ("none", "unlimited")):
        return None
    try:
        if isinstance(value, bool):
            raise ValueError
        typed = kind(value)
        if kind is int and isinstance(value, float) and value != typed:
            raise ValueError
    except (TypeError, ValueError):
        raise _fail(where, f"{system}.{name} must be {'an integer' if kind is int else 'a number'}"
                           f", found {value!r}") from None
    if typed < low or (high is not None and typed > high):
        bound = f"from {low} to {high}" if high is not None else f">= {low}"
        bound += ' (or "none" for unlimited)' if nullable else ""
        raise _fail(where, f"{system}.{name} must be {bound}, found {value!r}")
    return typed


@dataclass(frozen=True, kw_only=True)
class FaultPlan:
    """Every rule, the seed, and emulator settings, as parsed from a spec or admin JSON."""

    rules: tuple[FaultRule, ...] = ()
    seed: int = 0
    settings: tuple[tuple[str, str, int | float | None], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        settings: dict[str, dict[str, int | float | None]] = {}
        for system, name, value in self.settings:
            settings.setdefault(system, {})[name] = value
        return {"seed": self.seed, "rules": [r.to_dict() for r in self.rules],
                "settings": settings}

    @classmethod
    def from_dict(cls, data: Any) -> FaultPlan:
        """Build from ``{"seed", "rules": [...], "settings": {system: {knob: value}}}``,
        or ``{"spec": "..."}``; errors name the JSON path of the bad field."""
        if not isinstance(data, dict):
            raise _fail("body", 'must be a JSON object with "rules" (and "seed", "settings") '
                                'or "spec"')
        if "spec" in data:
            if set(data) != {"spec"} or not isinstance(data["spec"], str):
                raise _fail("spec", 'give "spec" as the only key, a string')
            return parse_faults(data["spec"])
        unknown = set(data) - {"seed", "rules", "settings"}
        if unknown:
            raise _fail(sorted(unknown)[0], 'unknown key; expected "seed", "rules", "settings"')
        seed = data.get("seed", 0)
        if not _is_int(seed):
            raise _fail("seed", f"must be an integer, found {seed!r}")
        return cls(rules=_rules_from_json(data.get("rules", [])), seed=seed,
                   settings=_settings_from_json(data.get("settings", {})))


_RULE_KEYS = {f.name for f in FaultRule.__dataclass_fields__.values()}


def _rules_from_json(rules: Any) -> tuple[FaultRule, ...]:
    if not isinstance(rules, list):
        raise _fail("rules", "must be a list of rule objects")
    out = []
    for i, raw in enumerate(rules):
        where = f"rules[{i}]"
        if not isinstance(raw, dict):
            raise _fail(where, "must be an object")
        unknown = set(raw) - _RULE_KEYS
        if unknown:
            raise _fail(f"{where}.{sorted(unknown)[0]}",
                        f"unknown field; expected {', '.join(sorted(_RULE_KEYS))}")
        if "kind" not in raw:
            raise _fail(f"{where}.kind", f"is required ({', '.join(KINDS)})")
        out.append(_build_rule(raw, where))
    return tuple(out)


def _settings_from_json(settings: Any) -> tuple[tuple[str, str, int | float | None], ...]:
    if not isinstance(settings, dict):
        raise _fail("settings", 'must be an object like {"salesforce": {"lock_error_rate": 0.1}}')
    out = []
    for system, knobs in settings.items():
        if not isinstance(knobs, dict):
            raise _fail(f"settings.{system}", "must be an object of setting: value")
        for name, value in knobs.items():
            out.append((system, name, check_knob(system, name, value, f"settings.{system}.{name}")))
    return tuple(out)


def parse_faults(spec: str) -> FaultPlan:
    """Parse a fault spec (grammar in the module docstring) into a ``FaultPlan``."""
    rules, settings, seed = [], [], 0
    for number, raw in enumerate(spec.split(";"), start=1):
        item = raw.strip()
        if not item:
            continue
        where = f'faults item {number} "{item}"'
        if item.startswith("seed="):
            seed = _number(item[5:], int, where, "seed")
        elif ":" not in item and re.fullmatch(r"[\w*]+\.\w+=.*", item):
            head, _, value = item.partition("=")
            system, _, name = head.partition(".")
            settings.append((system, name, check_knob(system, name, value.strip(), where)))
        else:
            rules.append(_parse_rule(item, where))
    return FaultPlan(rules=tuple(rules), seed=seed, settings=tuple(settings))


def _parse_rule(item: str, where: str) -> FaultRule:
    parts = item.split(":")
    fields: dict[str, Any] = {}
    while len(parts) > 2 and re.fullmatch(
            r"\s*((status|latency|timeout|rate|times|after)=.*|expire_sessions)\s*", parts[-1]):
        key, _, value = parts.pop().strip().partition("=")
        if key in fields:
            raise _fail(where, f'"{key}=" is given twice; give it once')
        if key in _ACTIONS and _ACTIONS & fields.keys():
            other = next(iter(_ACTIONS & fields.keys()))
            raise _fail(where, f'"{key}=" and "{other}=" are both actions; a rule has exactly '
                               "one of status=, latency=, timeout=, expire_sessions "
                               "(write two rules instead)")
        fields[key] = value.strip()
    if len(parts) < 2 or not _ACTIONS & fields.keys():
        raise _fail(where, 'a rule is "SYSTEM:ENDPOINT:ACTION[:OPTION...]" with ACTION one of '
                           "status=CODE, latency=MS, timeout=MS, expire_sessions "
                           "(options rate=, times=, after=)")
    kind = next(k for k in KINDS if k in fields)
    system, endpoint = parts[0].strip(), ":".join(parts[1:]).strip()
    rule = dict(system=system, endpoint=endpoint, kind=kind,
                rate=_number(fields.get("rate", "1"), float, where, "rate"),
                after=_number(fields.get("after", "0"), int, where, "after"),
                times=_number(fields["times"], int, where, "times") if "times" in fields else None)
    if kind == "status":
        rule["status"] = _number(fields["status"], int, where, "status")
    elif kind != "expire_sessions":
        rule["latency_ms"] = _number(fields[kind], int, where, kind)
    return _build_rule(rule, where)


def _build_rule(fields: dict[str, Any], where: str) -> FaultRule:
    """``FaultRule(**fields)``, its error prefixed with where the rule came from."""
    try:
        return FaultRule(**fields)
    except FaultSpecError as exc:
        raise _fail(where, str(exc)) from None


def _number(text: str, kind: type, where: str, name: str) -> Any:
    try:
        return kind(text)
    except ValueError:
        what = "a whole number" if kind is int else "a number"
        raise _fail(where, f'{name} must be {what}, found "{text}"') from None


@dataclass
class _RuleState:
    rule: FaultRule
    rng: random.Random
    seen: int = 0
    fired: int = 0

    def fires(self) -> bool:
        """Count one matching call and decide (deterministically) whether the rule fires."""
        self.seen += 1
        if self.seen <= self.rule.after:
            return False
        if self.rule.times is not None and self.fired >= self.rule.times:
            return False
        if self.rule.rate < 1.0 and self.rng.random() >= self.rule.rate:
            return False
        self.fired += 1
        return True


@dataclass(frozen=True)
class _Decision:
    delay_ms: int = 0
    answer: FaultRule | None = None
    expire_sessions: bool = False


class FaultInjector:
    """Applies a ``FaultPlan`` to calls; ``wrap(system, app)`` puts it in front of an emulator.

    ``wait(seconds)`` does the delaying (patch it in tests); by default it waits on an event
    that ``close()`` sets, so held calls end at once on shutdown.
    """

    def __init__(self, plan: FaultPlan | None = None, *,
                 wait: Callable[[float], object] | None = None,
                 hubspot_limits: Callable[[], tuple[int, int]] = lambda: (100, 250_000),
                 expire_sessions: Callable[[], object] = lambda: None) -> None:
        self._lock = threading.Lock()
        self._closed = threading.Event()
        self.wait = wait or self._closed.wait
        self._hubspot_limits = hubspot_limits
        self._expire_sessions = expire_sessions
        self.replace(plan or FaultPlan())

    @property
    def plan(self) -> FaultPlan:
        return self._plan

    def replace(self, plan: FaultPlan) -> None:
        """Install ``plan``; every rule's counters and RNG start afresh."""
        with self._lock:
            self._plan = plan
            self._states = [_RuleState(r, random.Random(f"{plan.seed}/{i}"))
                            for i, r in enumerate(plan.rules)]
            self._ids = random.Random(f"{plan.seed}/ids")

    def snapshot(self) -> dict[str, Any]:
        """The plan plus, per rule, how many calls matched and how many faults fired."""
        with self._lock:
            counts = [{"matched": s.seen, "fired": s.fired} for s in self._states]
        data = self._plan.to_dict()
        for rule, count in zip(data["rules"], counts, strict=True):
            rule.update(count)
        return data

    def close(self) -> None:
        """Release every held call now (used at shutdown)."""
        self._closed.set()

    def decide(self, system: str, method: str, path: str) -> _Decision:
        """Which faults this call meets: total added delay and the rule that answers it."""
        delay, expire = 0, False
        with self._lock:
            for state in self._states:
                if not state.rule.matches(system, method, path) or not state.fires():
                    continue
                if state.rule.kind == "latency":
                    delay += state.rule.latency_ms
                elif state.rule.kind == "expire_sessions":
                    expire = True
                else:
                    return _Decision(delay, state.rule, expire)
        return _Decision(delay, None, expire)

    def correlation_id(self) -> str:
        with self._lock:
            return str(uuid.UUID(int=self._ids.getrandbits(128), version=4))

    def wrap(self, system: str, app: Callable) -> Callable:
        """WSGI middleware injecting this plan's faults into calls to ``system``'s ``app``."""
        def middleware(environ: dict, start_response: Callable) -> Iterable[bytes]:
            environ.setdefault("sandbox.system", system)
            decision = self.decide(system, environ["REQUEST_METHOD"], environ.get("PATH_INFO", ""))
            if decision.expire_sessions:
                self._expire_sessions()
            if decision.delay_ms:
                self.wait(decision.delay_ms / 1000)
            rule = decision.answer
            if rule is None:
                return app(environ, start_response)
            _drain(environ)
            if rule.kind == "timeout":
                self.wait(rule.latency_ms / 1000)
            environ["sandbox.fault"] = rule.kind
            status, headers, body = self.error_response(system, rule)
            start_response(status, headers)
            return [body]
        return middleware

    def error_response(self, system: str, rule: FaultRule) -> tuple[str, list, bytes]:
        """Status line, headers and body of an injected error, in the vendor's own shape."""
        code = 504 if rule.kind == "timeout" else rule.status
        if system == "salesforce":
            code, body = _salesforce_error(code)
            headers: list[tuple[str, str]] = []
        else:
            body = _hubspot_error(code, self.correlation_id())
            headers = self._hubspot_limit_headers() if code == 429 else []
        data = json.dumps(body).encode()
        headers += [("Content-Type", "application/json;charset=utf-8"),
                    ("Content-Length", str(len(data)))]
        return f"{code} {_REASONS[code]}", headers, data

    def _hubspot_limit_headers(self) -> list[tuple[str, str]]:
        per_10s, daily = self._hubspot_limits()
        return [("X-HubSpot-RateLimit-Interval-Milliseconds", "10000"),
                ("X-HubSpot-RateLimit-Max", str(per_10s)),
                ("X-HubSpot-RateLimit-Remaining", "0"),
                ("X-HubSpot-RateLimit-Daily", str(daily)),
                ("X-HubSpot-RateLimit-Daily-Remaining", str(daily)),
                ("Retry-After", "1")]


_REASONS = {403: "Forbidden", 429: "Too Many Requests", 500: "Internal Server Error",
            502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout"}
_HUBSPOT_5XX = {500: ("INTERNAL_ERROR", "internal error"),
                502: ("BAD_GATEWAY", "Bad Gateway: the upstream service did not respond"),
                503: ("SERVICE_UNAVAILABLE", "Service temporarily unavailable"),
                504: ("GATEWAY_TIMEOUT", "The request timed out")}
_SALESFORCE = {429: (403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded."),
               500: (500, "UNKNOWN_EXCEPTION", "An unexpected error occurred. Please include "
                                               "this ErrorId if you contact support: "
                                               "1804325813-4242 (-1218785233)"),
               502: (502, "SERVER_UNAVAILABLE", "Bad gateway: the server is unavailable."),
               503: (503, "SERVER_UNAVAILABLE", "Server is temporarily unavailable."),
               504: (504, "REQUEST_RUNNING_TOO_LONG",
                     "Your request was running for too long, and has been stopped.")}


def _hubspot_error(code: int, correlation_id: str) -> dict[str, str]:
    if code == 429:
        return {"status": "error", "message": "You have reached your ten_secondly_rolling limit.",
                "errorType": "RATE_LIMIT", "correlationId": correlation_id,
                "policyName": "TEN_SECONDLY_ROLLING"}
    category, message = _HUBSPOT_5XX[code]
    return {"status": "error", "message": message, "correlationId": correlation_id,
            "category": category}


def _salesforce_error(code: int) -> tuple[int, list[dict[str, str]]]:
    status, error_code, message = _SALESFORCE[code]
    return status, [{"message": message, "errorCode": error_code}]


def _drain(environ: dict) -> None:
    """Read the unread request body so a kept-alive connection stays in step."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return
    if length > 0:
        environ["wsgi.input"].read(length)
