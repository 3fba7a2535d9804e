"""Offline lead files (trade-show scans, webinar lists, business cards, purchased lists):
read, mapped, validated, normalised and de-duplicated into an ``ImportResult``."""

from __future__ import annotations

from syncd.offline.errors import FileRefused
from syncd.offline.limits import Limits
from syncd.offline.mapping import SourceMapping, load_source_mapping
from syncd.offline.pipeline import import_file
from syncd.offline.result import ImportResult, LineResult, Match

__all__ = ["FileRefused", "ImportResult", "LineResult", "Limits", "Match", "SourceMapping",
           "import_file", "load_source_mapping"]
