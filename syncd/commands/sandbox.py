"""``syncd sandbox``: serve the HubSpot and Salesforce emulators until SIGTERM or SIGINT.

Prints the endpoints (URLs, credentials, CA bundle, admin URL) as one line of JSON on
stdout and, with ``--port-file``, writes the same line to that file atomically, so a
script can wait for the file and then connect.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import tempfile
import threading
from datetime import datetime
from pathlib import Path

__all__ = ["register", "run"]


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("sandbox", help="serve the local HubSpot and Salesforce emulators")
    parser.add_argument("--seed", type=int, default=0, help="seed of the generated world")
    parser.add_argument("--contacts", type=_positive, default=200,
                        help="HubSpot contacts in the world (default 200)")
    parser.add_argument("--activity", type=_positive_number, default=1.0,
                        help="marketing volume (email campaigns, page views): 1.0, the default, "
                             "gives about 15 engagement records per contact")
    parser.add_argument("--now", type=_aware_time, default=None,
                        help="the world's 'now', ISO 8601 with offset (default: current time); "
                             "fix it for byte-identical worlds")
    parser.add_argument("--faults", default=None, metavar="SPEC",
                        help='fault spec, e.g. "hubspot:*:status=429:rate=0.1;seed=7" '
                             "(grammar: sandbox/syncd_sandbox/faults.py)")
    parser.add_argument("--workdir", type=Path, default=None,
                        help="where the CA bundle and offline files go "
                             "(default: a temporary directory, removed on exit)")
    parser.add_argument("--port-file", type=Path, default=None,
                        help="write the endpoints JSON here once serving")
    for system in ("hubspot", "salesforce", "admin"):
        parser.add_argument(f"--{system}-port", type=_port, default=0, metavar="PORT",
                            help=f"{system} port (default: a free one)")
    parser.set_defaults(func=run)


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, found {text}")
    return value


def _positive_number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be more than 0, found {text}")
    return value


def _port(text: str) -> int:
    value = int(text)
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"must be a port from 0 to 65535, found {text}")
    return value


def _aware_time(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 time: {text!r}") from None
    if value.tzinfo is None:
        raise argparse.ArgumentTypeError(f"needs a UTC offset, e.g. {text}+00:00")
    return value


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so readers see either nothing or the whole file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def run(args: argparse.Namespace) -> int:
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    if args.workdir is not None:
        return _serve(args, args.workdir, stop)
    with tempfile.TemporaryDirectory(prefix="syncd-sandbox-") as workdir:
        return _serve(args, Path(workdir), stop)


def _serve(args: argparse.Namespace, workdir: Path, stop: threading.Event) -> int:
    from syncd.wiring import SandboxMissing, sandbox_runtime

    try:
        Sandbox, FaultSpecError = sandbox_runtime()
    except SandboxMissing as exc:
        print(f"syncd sandbox: {exc}", file=sys.stderr)
        return 2

    try:
        sandbox = Sandbox.start(seed=args.seed, contacts=args.contacts, activity=args.activity, faults=args.faults,
                                workdir=workdir, now=args.now, hubspot_port=args.hubspot_port,
                                salesforce_port=args.salesforce_port, admin_port=args.admin_port)
    except FaultSpecError as exc:
        print(f"syncd sandbox: --faults: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"syncd sandbox: cannot serve: {exc} (is a port already taken?)", file=sys.stderr)
        return 3
    with sandbox:
        line = sandbox.endpoints.to_json()
        print(line, flush=True)
        if args.port_file:
            write_atomically(args.port_file, line + "\n")
        while not stop.wait(0.5):  # short waits keep the main thread responsive to signals
            pass
    return 0
