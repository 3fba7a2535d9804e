"""In-memory implementations of the ports, for tests and for trying the pipeline.

Each passes the same contract suite as the real adapter (``tests/contracts/``), so a
pipeline test run on them says something about the real thing.
"""

from syncd.testing.memory_crm import MemoryCrm
from syncd.testing.memory_hubspot import MemoryHubSpot
from syncd.testing.memory_store import MemoryStateStore

__all__ = ["MemoryCrm", "MemoryHubSpot", "MemoryStateStore"]
