"""The dependency rule: the core never imports a connector or the sandbox.

Only the composition root (``syncd/wiring.py``) builds connectors and loads the sandbox;
everything else under ``syncd/`` talks to the world through ``syncd.ports``.
"""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
COMPOSITION_ROOT = {"syncd/wiring.py"}
FORBIDDEN = ("connectors", "syncd_sandbox", "sandbox")


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _offenders() -> dict[str, list[str]]:
    found = {}
    for path in sorted((REPO / "syncd").rglob("*.py")):
        rel = path.relative_to(REPO).as_posix()
        if rel in COMPOSITION_ROOT:
            continue
        bad = sorted(n for n in _imports(path) if n.split(".")[0] in FORBIDDEN)
        if bad:
            found[rel] = bad
    return found


def test_only_the_composition_root_imports_connectors_or_the_sandbox():
    assert _offenders() == {}


def test_the_rule_sees_imports_inside_functions(tmp_path):
    sample = tmp_path / "m.py"
    sample.write_text("def f():\n    from connectors.hubspot import x\n    import syncd_sandbox.runtime\n")
    assert _imports(sample) == {"connectors.hubspot", "syncd_sandbox.runtime"}


def test_the_composition_root_is_where_connectors_are_built():
    assert {n.split(".")[0] for n in _imports(REPO / "syncd" / "wiring.py")} >= {"connectors"}


def test_connectors_do_not_import_the_sandbox():
    for path in (REPO / "connectors").rglob("*.py"):
        assert not any(n.split(".")[0] == "syncd_sandbox" for n in _imports(path)), path
