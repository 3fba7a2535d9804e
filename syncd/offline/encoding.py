"""Bytes to text, saying how the encoding was found; never a silent guess.

Order: a byte-order mark (UTF-8, UTF-16, UTF-32); strict UTF-8; then charset-normalizer
for legacy single-byte files (cp1252, latin-1, …). A file mostly in UTF-8 with some lines in
a legacy encoding (two exports pasted together) is decoded line by line and reported as
mixed, naming the lines.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from syncd.offline.errors import FileRefused

__all__ = ["Decoded", "decode"]

_BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
         (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
         (codecs.BOM_UTF16_BE, "utf-16-be"))
_LINES = re.compile(rb"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


@dataclass(frozen=True, slots=True, kw_only=True)
class Decoded:
    """``encoding`` is a codec name or ``"mixed: …"``; ``how`` says what decided it."""

    text: str
    encoding: str
    how: str


def decode(data: bytes, *, declared: str | None = None) -> Decoded:
    """Decode ``data``; ``declared`` (from the source mapping) is used as given, and a byte
    it cannot decode refuses the file with the line it is on."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return _checked(_strict(data[len(bom):], name, "byte-order mark"), name, "byte-order mark")
    if declared:
        return _checked(_strict(data, declared, "the source mapping"), declared, "the source mapping")
    if (nul := data.find(b"\x00")) >= 0:
        raise FileRefused(f"contains NUL bytes (first at byte {nul}): a binary file, or "
                          "UTF-16/32 without a byte-order mark (save it as UTF-8)")
    try:
        return Decoded(text=data.decode("utf-8"), encoding="utf-8", how="valid UTF-8")
    except UnicodeDecodeError:
        return _legacy(data)


def _strict(data: bytes, name: str, how: str) -> str:
    try:
        return data.decode(name)
    except LookupError:
        raise FileRefused(f"unknown encoding {name!r} named by {how}") from None
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise FileRefused(f"not valid {name} (named by {how}): byte {exc.start} on line {line}") from None


def _checked(text: str, encoding: str, how: str) -> Decoded:
    if "\x00" in text:
        line = text[:text.index("\x00")].count("\n") + 1
        raise FileRefused(f"contains a NUL character on line {line}: not a text file")
    return Decoded(text=text, encoding=encoding, how=how)


def _legacy(data: bytes) -> Decoded:
    lines = _LINES.findall(data)
    bad = [i for i, line in enumerate(lines) if not _is_utf8(line)]
    legacy, bad_set = _detect(b"".join(lines[i] for i in bad)), set(bad)
    if any(not line.isascii() for i, line in enumerate(lines) if i not in bad_set):
        text = "".join(line.decode(legacy if i in bad_set else "utf-8")
                       for i, line in enumerate(lines))
        shown = ", ".join(str(i + 1) for i in bad[:10]) + (" …" if len(bad) > 10 else "")
        return Decoded(text=text, encoding=f"mixed: utf-8, and {legacy} on lines {shown}",
                       how="line by line (charset-normalizer for the lines that are not UTF-8)")
    return Decoded(text=data.decode(legacy), encoding=legacy, how="charset-normalizer")


def _is_utf8(line: bytes) -> bool:
    try:
        line.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


# Tried by charset-normalizer; when several fit equally well the earlier one is taken
# (cp1250 and cp1252 often tie on Western text, where cp1252 is the far likelier export).
_LEGACY = ("cp1252", "iso8859_15", "latin_1", "cp1250", "mac_roman", "cp850")


def _detect(sample: bytes) -> str:
    from charset_normalizer import from_bytes

    matches = list(from_bytes(sample, cp_isolation=list(_LEGACY)))
    if not matches:
        raise FileRefused("encoding could not be recognised (not UTF-8 and no single-byte "
                          "encoding fits): save the file as UTF-8")
    best = min((m.chaos, -m.coherence) for m in matches)
    tied = {codecs.lookup(m.encoding).name for m in matches if (m.chaos, -m.coherence) == best}
    return next(codecs.lookup(name).name for name in _LEGACY if codecs.lookup(name).name in tied)
