"""Round-robin over a list of reps, skipping reps at their cap and reps Salesforce lacks.

The position is the index in the configured list of the rep whose turn is next. It is kept
per pool by the caller and passed back in, so turns continue across cycles, restarts and
replicas. Indexes count every configured rep, active or not, so a rep who is deactivated
for a while does not shift everyone else's turn.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

__all__ = ["Turn", "take_turn"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Turn:
    """The outcome of one turn: who (if anyone), and why the reps before were passed over."""

    user_id: str | None
    rep: int | None
    """1-based place of the chosen rep in the configured list."""
    size: int
    skipped: tuple[str, ...]
    next_position: int


def take_turn(emails: Sequence[str], *, position: int, cap: int | None,
              users_by_email: Mapping[str, str], load: Mapping[str, int],
              exclude: Collection[str] = ()) -> Turn:
    """The next rep from ``position`` who is an active user, below ``cap`` open active leads
    (``load``) and not in ``exclude``; ``user_id`` is None when every rep was passed over."""
    size, skipped = len(emails), []
    for step in range(size):
        index = (position + step) % size
        user_id = users_by_email.get(emails[index])
        why = _pass_over(user_id, cap=cap, load=load, exclude=exclude)
        if why is None:
            return Turn(user_id=user_id, rep=index + 1, size=size, skipped=tuple(skipped),
                        next_position=(index + 1) % size)
        skipped.append(f"rep {index + 1} {why}")
    return Turn(user_id=None, rep=None, size=size, skipped=tuple(skipped),
                next_position=position % size if size else 0)


def _pass_over(user_id: str | None, *, cap: int | None, load: Mapping[str, int],
               exclude: Collection[str]) -> str | None:
    if user_id is None:
        return "is not an active Salesforce user"
    if user_id in exclude:
        return "already had the lead"
    if cap is not None and load.get(user_id, 0) >= cap:
        return f"at cap {cap}"
    return None
