"""setuptools, plus one thing it cannot express: the ``sandbox`` extra points at this
checkout's ``sandbox/`` project by absolute path, so ``pip install '.[sandbox]'`` brings the
emulators from the same tree while a plain ``pip install .`` leaves them out."""

from __future__ import annotations

from pathlib import Path

from setuptools import build_meta as _meta

ROOT = Path(__file__).resolve().parent.parent
EXTRA = ROOT / "build" / "sandbox-extra.txt"


def _write_extra() -> None:
    EXTRA.parent.mkdir(parents=True, exist_ok=True)
    sandbox = ROOT / "sandbox"
    line = f"syncd-sandbox @ {sandbox.as_uri()}\n" if (sandbox / "pyproject.toml").is_file() else ""
    if not EXTRA.is_file() or EXTRA.read_text() != line:
        EXTRA.write_text(line)


def _wrap(name: str):
    hook = getattr(_meta, name)

    def wrapped(*args, **kwargs):
        _write_extra()
        return hook(*args, **kwargs)

    wrapped.__name__ = name
    return wrapped


for _name in ("get_requires_for_build_wheel", "get_requires_for_build_sdist",
              "get_requires_for_build_editable", "prepare_metadata_for_build_wheel",
              "prepare_metadata_for_build_editable", "build_wheel", "build_sdist", "build_editable"):
    globals()[_name] = _wrap(_name)
