"""How to write a lifecycle stage to HubSpot, which only moves ``lifecyclestage`` forward."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["plan_hubspot_stage_write"]

PROPERTY = "lifecyclestage"


def plan_hubspot_stage_write(current_value: str | None, target_value: str,
                             order: Sequence[str]) -> list[dict]:
    """Ordered update steps to bring ``lifecyclestage`` from ``current_value`` to
    ``target_value``, given the portal's stage ``order`` (earliest first).

    No step when nothing changes; one step when moving forward (or from blank); two steps
    when moving back (or from a value not in ``order``): HubSpot refuses a backward move,
    so the value is first cleared to "" and then set, in separate requests (never in one
    batch: batches are not applied in order).
    """
    if target_value not in order:
        raise ValueError(f"lifecyclestage target {target_value!r} is not one of the portal's "
                         f"options {list(order)}; fix the stage's 'hubspot' value in scoring.toml")
    current = current_value or ""
    if current == target_value:
        return []
    set_step = {"properties": {PROPERTY: target_value}, "reason": f"set {target_value}"}
    forward = current in order and order.index(target_value) > order.index(current)
    if not current or forward:
        return [set_step]
    # An unknown current value (an option since removed) may rank anywhere: clear it too.
    clear = {"properties": {PROPERTY: ""},
             "reason": f"clear {current} first: HubSpot only moves {PROPERTY} forward"}
    return [clear, {**set_step, "reason": f"set {target_value} (moved back from {current})"}]
