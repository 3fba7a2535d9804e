"""``syncd init DIR``: an editable ``config.toml`` and ``mappings/`` to start from.

Both come from the installed package (the example configuration and the default mappings
ship as package data), so this works after a plain ``pip install`` from any folder.
Existing files are never overwritten unless ``--force`` is given.
"""

from __future__ import annotations

import argparse
import re
import sys
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

__all__ = ["register", "run", "planned_files"]

EXIT_EXISTS = 1
_ENV = re.compile(r'^\s*\w+_env\s*=\s*"(\w+)"', re.M)


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("init", help="write an editable config.toml and mappings/ into DIR")
    parser.add_argument("dir", type=Path, help="folder to write into (created if missing)")
    parser.add_argument("--force", action="store_true",
                        help="overwrite files that already exist")
    parser.set_defaults(func=run)


def _walk(source: Traversable, dest: Path) -> list[tuple[Traversable, Path]]:
    out = []
    for item in sorted(source.iterdir(), key=lambda t: t.name):
        if item.is_dir():
            out += _walk(item, dest / item.name)
        elif item.name.endswith(".toml"):
            out.append((item, dest / item.name))
    return out


def planned_files(target: Path) -> list[tuple[Traversable, Path]]:
    """(packaged source, destination) of every file ``init`` writes into ``target``."""
    package = resources.files("syncd")
    return [(package / "example_config.toml", target / "config.toml"),
            *_walk(package / "default_mappings", target / "mappings")]


def _next_steps(target: Path, config_text: str) -> str:
    config = target / "config.toml"
    secrets = " ".join(f"{name}=..." for name in dict.fromkeys(_ENV.findall(config_text)))
    return "\n".join([
        "Next steps:",
        f"  1. Edit {config}: HubSpot limits, Salesforce login URL, state store, schedule.",
        f"     Edit {target / 'mappings'}/*.toml: field rules and the scoring model.",
        f"  2. Give the secrets through the environment (never in the file): export {secrets}",
        "     (or set the matching *_file keys, e.g. Docker secrets).",
        f"  3. Check the files: syncd check-config --offline --config {config}",
        f"     then against your org: syncd check-config --config {config}",
        "  4. Try it on the built-in sandbox first: pip install 'syncd[sandbox]' && syncd demo",
        f"  5. Run one cycle: syncd once --config {config}   (or keep running: syncd run)",
    ])


def run(args: argparse.Namespace) -> int:
    target: Path = args.dir
    files = planned_files(target)
    existing = [dest for _source, dest in files if dest.exists()]
    if existing and not args.force:
        names = ", ".join(str(p) for p in existing)
        print(f"syncd init: not overwriting {names}; pass --force to replace them",
              file=sys.stderr)
        return EXIT_EXISTS
    for source, dest in files:
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(source.read_bytes())
    print(f"Wrote {len(files)} files into {target}: config.toml and mappings/ "
          f"({', '.join(d.name for _s, d in files[1:])}).")
    print(_next_steps(target, files[0][1].read_text()))
    return 0
