"""The running sandbox's hooks for tests and checks (mixed into ``runtime.Sandbox``, driven
by the admin API too): the clock, what sales does in Salesforce, the request logs."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

__all__ = ["SandboxHooks"]


class SandboxHooks:
    """Needs ``clock``, ``salesforce_state`` and ``request_logs`` on the instance."""

    def now(self) -> datetime:
        """The sandbox clock's time (both emulators read it)."""
        return self.clock.now()

    def advance_clock(self, delta: timedelta) -> datetime:
        """Move the sandbox clock forward (e.g. past an SLA deadline); the new time."""
        advance = getattr(self.clock, "advance", None)
        if advance is None:
            raise ValueError(f"the sandbox clock ({type(self.clock).__name__}) cannot be moved")
        advance(delta)
        return self.clock.now()

    def complete_task(self, task_id: str) -> dict[str, Any]:
        """A rep completes a Salesforce Task (see ``salesforce.sales``)."""
        from syncd_sandbox.salesforce.sales import complete_task

        return complete_task(self.salesforce_state, task_id)

    def log_event(self, who_id: str, *, subject: str = "Meeting", minutes: int = 30) -> dict[str, Any]:
        """A rep logs a Salesforce Event on a Lead or Contact, starting now."""
        from syncd_sandbox.salesforce.sales import log_event

        return log_event(self.salesforce_state, who_id, subject=subject, minutes=minutes)

    def set_lead_status(self, lead_id: str, status: str) -> dict[str, Any]:
        """Sales sets a Lead's Status (e.g. a recycle value such as ``Nurture``)."""
        from syncd_sandbox.salesforce.sales import set_lead_status

        return set_lead_status(self.salesforce_state, lead_id, status)

    def requests(self, system: str, **filters: Any) -> list[dict[str, Any]]:
        """Requests ``system``'s emulator served, oldest first (see ``RequestLog.entries``)."""
        return self.request_logs[system].entries(**filters)

    def clear_requests(self, system: str) -> None:
        """Forget ``system``'s logged requests."""
        self.request_logs[system].clear()

