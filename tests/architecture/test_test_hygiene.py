"""No test whose only assertions sit in a loop or under an ``if``: on empty data such a test
passes without checking anything. Each must first assert that its data is there.

Read from the source (AST), per test function. An assertion is *guarded* when it sits in the
body of a ``for``/``while`` over data, under an ``if``, or in an ``except``/``else`` of a
``try`` — or when it is ``assert all(...)``, which holds on nothing. A loop over a literal or
over ``range(N)`` is no guard (it always runs). ``pytest.raises``/``pytest.fail`` count as
assertions. Hypothesis tests (``@given``) are left out: each example may rightly skip a
branch, and the data varies by design. Tests that only call assertion helpers are not seen.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[1]
SWEPT = ("sandbox_core", "sandbox_hubspot", "sandbox_salesforce", "sandbox_world", "lifecycle",
         "hubspot", "salesforce", "e2e", "core", "cli")


def _always_runs(loop: ast.AST) -> bool:
    it = getattr(loop, "iter", None)
    if isinstance(it, ast.List | ast.Tuple | ast.Set):
        return bool(it.elts)
    return (isinstance(it, ast.Call) and ast.unparse(it.func) == "range"
            and all(isinstance(a, ast.Constant) for a in it.args) and bool(it.args))


def _vacuous(test: ast.expr) -> bool:
    if not (isinstance(test, ast.Call) and ast.unparse(test.func) == "all" and test.args):
        return False
    arg = test.args[0]
    if isinstance(arg, ast.GeneratorExp | ast.ListComp):
        return not all(_always_runs(g) for g in arg.generators)
    return True


def _is_check(node: ast.AST) -> bool:
    if isinstance(node, ast.With):
        return any(isinstance(i.context_expr, ast.Call) and
                   ast.unparse(i.context_expr.func).split(".")[-1] in ("raises", "warns")
                   for i in node.items)
    return isinstance(node, ast.Call) and ast.unparse(node.func) == "pytest.fail"


def _checks(node: ast.AST, guarded: bool = False) -> Iterator[bool]:
    """``guarded`` for every assertion under ``node``."""
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef):
        return
    if isinstance(node, ast.Assert):
        yield guarded or _vacuous(node.test)
    elif _is_check(node):
        yield guarded
    if isinstance(node, ast.Try):
        for child in node.body + node.finalbody:
            yield from _checks(child, guarded)
        for child in node.handlers + node.orelse:
            yield from _checks(child, True)
        return
    if isinstance(node, ast.For | ast.AsyncFor | ast.While | ast.If):
        inner = guarded or not (isinstance(node, ast.For | ast.AsyncFor) and _always_runs(node))
        yield from _checks(getattr(node, "iter", None) or node.test, guarded)
        for child in node.body + node.orelse:
            yield from _checks(child, inner)
        return
    for child in ast.iter_child_nodes(node):
        yield from _checks(child, guarded)


def unguarded_offenders(source: str) -> list[str]:
    """Names of test functions in ``source`` whose every assertion is guarded."""
    out = []
    for fn in ast.walk(ast.parse(source)):
        if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef) or not fn.name.startswith("test"):
            continue
        if any("given" in ast.unparse(d) for d in fn.decorator_list):
            continue
        found = [g for child in fn.body for g in _checks(child)]
        if found and all(found):
            out.append(f"{fn.name}:{fn.lineno}")
    return out


def _files() -> list[Path]:
    return sorted(p for d in SWEPT for p in (TESTS / d).rglob("test_*.py"))


def test_the_swept_folders_hold_tests():
    assert len(_files()) >= 50


@pytest.mark.parametrize("path", _files(), ids=lambda p: str(p.relative_to(TESTS)))
def test_no_test_checks_nothing_when_its_data_is_empty(path):
    assert unguarded_offenders(path.read_text()) == []


def test_the_scan_flags_loops_ifs_and_vacuous_all_but_not_a_checked_precondition():
    bad = '''
def test_loop(rows):
    for r in rows:
        assert r.ok
def test_if(x):
    if x:
        assert x.ok
def test_all(rows):
    assert all(r.ok for r in rows)
'''
    good = '''
def test_checked(rows):
    assert rows
    for r in rows:
        assert r.ok
def test_literal_loop():
    for n in (1, 2):
        assert n
def test_raises():
    with pytest.raises(ValueError):
        int("x")
@given(st.integers())
def test_property(n):
    if n > 0:
        assert n
'''
    assert [o.split(":")[0] for o in unguarded_offenders(bad)] == ["test_loop", "test_if", "test_all"]
    assert unguarded_offenders(good) == []
