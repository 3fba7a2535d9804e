"""JSON text read and written by orjson, with the values the standard ``json`` module gives:
HubSpot's answers and the state store's JSON columns."""

from __future__ import annotations

import json
from typing import Any

import orjson

__all__ = ["json_dumps", "json_loads"]

_DUMPS_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


def json_dumps(value: Any) -> str:
    """The JSON text of a column value: the same values ``json.dumps`` writes (compact).
    What orjson does not take (integers beyond 64 bits, text with lone surrogates, values
    JSON has no form for) goes to ``json.dumps``, which writes or refuses it as before."""
    try:
        return orjson.dumps(value, option=_DUMPS_OPTIONS).decode()
    except TypeError:
        return json.dumps(value)


def json_loads(raw: str | bytes) -> Any:
    """The value of a column's JSON text, as ``json.loads`` reads it."""
    data = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw
    # orjson reads an integer of 19 digits or more beyond 64 bits as a float: text with
    # such a run of digits goes to json.loads, as does anything orjson refuses (json.loads
    # then accepts it or raises its own ValueError)
    if data.translate(_DIGIT_RUNS).find(_LONG_RUN) < 0:
        try:
            return orjson.loads(data)
        except orjson.JSONDecodeError:
            pass
    return json.loads(raw)


_DIGIT_RUNS = bytes(0x30 if 0x30 <= b <= 0x39 else 0x20 for b in range(256))  # digits to "0", the rest to " "
_LONG_RUN = b"0" * 19
