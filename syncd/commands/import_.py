"""``syncd import FILE``: read an offline lead file and account for every record.

``--check`` touches no system and no state: it reads, maps, validates, normalises and
de-duplicates the file, prints a summary and (``--report-json``) writes the full report.
``--existing`` also matches the records against a CSV of existing people and reports the
match decisions. Without either, the file is imported into the state store (``--config``):
each record is reconciled against the mirrored Salesforce people and the HubSpot contacts
syncd holds, and the next cycle writes the result (``syncd.offline.job``).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

EXIT_REFUSED = 1
EXIT_CONFIG = 2


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("import", help="read an offline lead file (CSV or XLSX) and report every record")
    parser.add_argument("file", type=Path, help="the CSV or XLSX file")
    parser.add_argument("--source", help="source mapping: NAME (mappings/offline/NAME.toml) or a .toml path")
    parser.add_argument("--check", action="store_true", help="contact no system, change no state")
    parser.add_argument("--report-json", type=Path, metavar="R", help="write the JSON report here ('-': stdout)")
    parser.add_argument("--suggest-mapping", type=Path, metavar="OUT",
                        help="write the mapping used as a TOML source mapping to edit")
    parser.add_argument("--sheet", help="XLSX: the sheet to read")
    parser.add_argument("--mappings", type=Path, help="mappings directory (default: ./mappings, "
                                                      "else the mappings shipped with syncd)")
    parser.add_argument("--existing", type=Path, metavar="E.csv",
                        help="match the records against this CSV of existing people")
    parser.add_argument("--rules", type=Path, help="matching rules for --existing (default: matching.toml)")
    from syncd.commands._common import add_config_option

    add_config_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from syncd.errors import ConfigError
    from syncd.offline import FileRefused

    try:
        if not args.check and args.existing is None:
            return _import_into_state(args)
        return _run(args)
    except FileRefused as exc:
        print(f"syncd import: {args.file}: refused: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    except ConfigError as exc:
        print(f"syncd import: {exc.render()}", file=sys.stderr)
        return EXIT_CONFIG


def _run(args: argparse.Namespace) -> int:
    from syncd.offline import import_file
    from syncd.offline.errors import FileRefused
    from syncd.offline.report import mapping_toml, report_json, summary_text

    try:
        data = args.file.read_bytes()
    except OSError as exc:
        raise FileRefused(f"cannot read the file: {exc.strerror}") from None
    mapping, origin = _mapping(args)
    match = _matcher(args) if args.existing else None
    result = import_file(data, name=args.file.name, mapping=mapping, mapping_origin=origin,
                         sheet=args.sheet, match=match, deduplicate=_deduplicator(args))
    print(summary_text(result))
    if mapping is None:
        print("\nmapping used (save with --suggest-mapping FILE to edit):")
        print(mapping_toml(result.mapping, unmapped=result.unmapped))
    if args.suggest_mapping:
        args.suggest_mapping.write_text(mapping_toml(
            result.mapping, unmapped=result.unmapped,
            header=f"Source mapping suggested by syncd import for {args.file.name}.\n"
                   "Check each column, then save as mappings/offline/<source>.toml."), encoding="utf-8")
    if args.report_json:
        text = json.dumps(report_json(result), indent=2, ensure_ascii=False, default=str)
        if str(args.report_json) == "-":
            print(text)
        else:
            args.report_json.write_text(text + "\n", encoding="utf-8")
    return 0


def _import_into_state(args: argparse.Namespace) -> int:
    from syncd.commands._common import with_app
    from syncd.offline.errors import FileRefused
    from syncd.offline.job import import_path
    from syncd.offline.report import summary_text

    def body(app) -> int:
        try:
            imported = import_path(app, args.file, source=args.source, sheet=args.sheet)
        except FileRefused as exc:
            print(f"syncd import: {args.file}: refused: {exc}", file=sys.stderr)
            return EXIT_REFUSED
        print(summary_text(imported.result))
        if imported.result.already_imported:
            print("\nthis file was imported before (same content): nothing changed")
        else:
            print("\nin the state store: " + ", ".join(f"{n} {s}" for s, n in imported.counts().items()))
            print("the next cycle writes them (syncd once, or the daemon); parked ones: syncd review list")
        if args.report_json:
            text = json.dumps(imported.report(), indent=2, ensure_ascii=False, default=str)
            if str(args.report_json) == "-":
                print(text)
            else:
                args.report_json.write_text(text + "\n", encoding="utf-8")
        return 0

    return with_app(args, body)


def _mappings_dir(args: argparse.Namespace) -> Path:
    if args.mappings is not None:
        return args.mappings
    local = Path("mappings")
    if local.is_dir():
        return local
    from importlib import resources

    return Path(str(resources.files("syncd").joinpath("default_mappings")))


def _mapping(args: argparse.Namespace):
    from syncd.offline import load_source_mapping

    if not args.source:
        return None, None
    path = Path(args.source)
    if path.suffix != ".toml":
        path = _mappings_dir(args) / "offline" / f"{args.source}.toml"
    return load_source_mapping(path), str(path)


def _deduplicator(args: argparse.Namespace):
    """Duplicates inside the file: deterministic keys plus the engine's clusters, with the
    match fields of matching.toml (its column names are the offline field names)."""
    from syncd.reconcile.files import file_deduplicator
    from syncd.reconcile.rules import load_rules

    return file_deduplicator(load_rules(args.rules or _mappings_dir(args) / "matching.toml"))


def _matcher(args: argparse.Namespace):
    from syncd.reconcile.files import file_matcher

    return file_matcher(args.existing, rules=args.rules, mappings_dir=_mappings_dir(args))
