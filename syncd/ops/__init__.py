"""Operations: probes and metrics served by the daemon, leadership among replicas, jobs.

``HealthState`` is what the daemon knows about itself (heartbeat, last cycle); ``Metrics``
turns cycle summaries into Prometheus series; ``probe_app`` serves ``/healthz``,
``/readyz`` and ``/metrics``.
"""

from syncd.ops.health import CycleOutcome, HealthState
from syncd.ops.metrics import Metrics
from syncd.ops.probes import probe_app

__all__ = ["CycleOutcome", "HealthState", "Metrics", "probe_app"]
