"""A seeded, reproducible world for the sandbox (placeholder docstring, see below)."""

from .personas import PERSONAS
from .world import World, build_world

__all__ = ["PERSONAS", "World", "build_world"]
