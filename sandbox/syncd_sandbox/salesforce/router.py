"""A small segment router whose templates double as the accounting endpoint names."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["Route", "Router"]

_VERSION = re.compile(r"^v\d+\.\d+$")


@dataclass(frozen=True, kw_only=True)
class Route:
    method: str
    template: str                 # e.g. /services/data/{v}/sobjects/{object}/{id}
    handler: Callable
    parts: tuple[str, ...]


class Router:
    """Matches ``METHOD /path`` against templates; literals are tried before placeholders."""

    def __init__(self) -> None:
        self.routes: list[Route] = []

    def add(self, method: str, template: str, handler: Callable) -> None:
        parts = tuple(template.strip("/").split("/"))
        self.routes.append(Route(method=method, template=template, handler=handler,
                                 parts=parts))
        # More literal segments first, so /sobjects/{object}/describe beats /{object}/{id}.
        self.routes.sort(key=lambda r: (len(r.parts),
                                        [p.startswith("{") for p in r.parts]))

    def match(self, method: str, path: str) -> tuple[Route | None, dict[str, str], bool]:
        """(route, params, path_known); path_known tells 405 from 404."""
        segments = path.strip("/").split("/")
        known = False
        for route in self.routes:
            params = _match(route.parts, segments)
            if params is None:
                continue
            known = True
            if route.method == method:
                return route, params, True
        return None, {}, known


def _match(parts: tuple[str, ...], segments: list[str]) -> dict[str, str] | None:
    if len(parts) != len(segments):
        return None
    params = {}
    for part, seg in zip(parts, segments):
        if part.startswith("{"):
            if not seg or (part == "{v}" and not _VERSION.match(seg)):
                return None
            params[part[1:-1]] = seg
        elif part.lower() != seg.lower():
            return None
    return params
