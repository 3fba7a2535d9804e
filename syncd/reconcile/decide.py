"""From scored candidate pairs to one decision per incoming record (pure Python).

Order of trust: a crosswalk id, then a personal email shared by exactly one existing record
(deterministic keys), then the model's match probability in three bands. Two candidates
within ``tie_margin`` bits of each other go to review, as does an existing record that two
different incoming people both want (one-to-one). Incoming records clustered as the same
person share one decision.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from syncd.reconcile.result import Decision, Evidence
from syncd.reconcile.rules import MatchingSettings

__all__ = ["Pair", "decide"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Pair:
    """One scored candidate; ``key`` names a deterministic key the pair shares, if any.
    Evidence is given, or read from the per-comparison weights ``mws`` by ``explain``
    when a decision needs it (most candidates are never shown)."""

    incoming_id: str
    existing_id: str
    probability: float
    weight: float
    key: str | None = None
    given: tuple[Evidence, ...] = ()
    mws: tuple[float, ...] = ()
    explain: Callable[[tuple[float, ...]], tuple[Evidence, ...]] | None = None

    @property
    def evidence(self) -> tuple[Evidence, ...]:
        if self.given or self.explain is None:
            return self.given
        return self.explain(self.mws)


@dataclass(frozen=True, slots=True)
class _Proposal:
    decision: Decision
    pair: Pair | None


def decide(incoming_ids: Sequence[str], pairs: Sequence[Pair], clusters: Sequence[Sequence[str]],
           settings: MatchingSettings) -> list[Decision]:
    """One decision per id of ``incoming_ids`` (same order). ``clusters`` groups incoming ids
    that are the same person, first member first; ids in no cluster stand alone."""
    by_incoming: dict[str, list[Pair]] = defaultdict(list)
    for pair in pairs:
        by_incoming[pair.incoming_id].append(pair)
    single = {i: _propose(i, by_incoming.get(i, []), settings) for i in incoming_ids}
    groups = _groups(incoming_ids, clusters)
    chosen = {g[0]: _cluster_choice(g, single) for g in groups}
    chosen = _one_to_one(chosen)
    out: dict[str, Decision] = {}
    for group in groups:
        _spread(group, chosen[group[0]], single, out)
    return [out[i] for i in incoming_ids]


def _rank(p: Pair) -> tuple:
    return (p.key == "crosswalk", p.key is not None, p.weight)


def _propose(incoming_id: str, pairs: list[Pair], s: MatchingSettings) -> _Proposal:
    if not pairs:
        return _Proposal(Decision(incoming_id=incoming_id, decision="create",
                                  reason="no existing record is a candidate"), None)
    # equal ranks keep existing-id order: the same input always gives the same decision
    ranked = sorted(sorted(pairs, key=lambda p: p.existing_id), key=_rank, reverse=True)
    best = ranked[0]
    keyed = [p for p in ranked if p.key == best.key] if best.key else []
    if best.key and len({p.existing_id for p in keyed}) > 1:
        return _review(incoming_id, keyed, f"{len(keyed)} existing records share the {best.key}")
    if best.key:
        return _merge(incoming_id, best, f"deterministic: same {best.key}")
    if best.probability >= s.merge:
        rival = next((p for p in ranked[1:] if p.probability >= s.review), None)
        if rival is not None and best.weight - rival.weight < s.tie_margin:
            return _review(incoming_id, [best, rival], f"tie: {best.existing_id} and {rival.existing_id} "
                                                       f"are within {s.tie_margin:g} bits")
        return _merge(incoming_id, best, "match probability above the merge threshold")
    if best.probability >= s.review:
        return _review(incoming_id, [best], "match probability in the review band")
    return _Proposal(Decision(incoming_id=incoming_id, decision="create", existing_id=None,
                              match_probability=best.probability, evidence=best.evidence,
                              reason=f"best candidate {best.existing_id} is below the review threshold"), best)


def _merge(incoming_id: str, pair: Pair, reason: str) -> _Proposal:
    return _Proposal(Decision(incoming_id=incoming_id, decision="merge", existing_id=pair.existing_id,
                              match_probability=pair.probability, evidence=pair.evidence,
                              reason=reason), pair)


def _review(incoming_id: str, pairs: list[Pair], reason: str) -> _Proposal:
    best = pairs[0]
    return _Proposal(Decision(incoming_id=incoming_id, decision="review", existing_id=best.existing_id,
                              match_probability=best.probability, evidence=best.evidence, reason=reason,
                              candidates=tuple(dict.fromkeys(p.existing_id for p in pairs))), best)


def _groups(ids: Sequence[str], clusters: Sequence[Sequence[str]]) -> list[list[str]]:
    known = set(ids)
    placed: set[str] = set()
    groups = []
    for cluster in clusters:
        members = [i for i in cluster if i in known and i not in placed]
        if members:
            groups.append(members)
            placed.update(members)
    return groups + [[i] for i in ids if i not in placed]


def _cluster_choice(group: list[str], single: dict[str, _Proposal]) -> _Proposal:
    """A cluster merges where its members agree: members that merge all name one record,
    and members in review have it among their candidates. Otherwise the whole cluster goes
    to review; with no merge at all, its first member's proposal stands."""
    proposals = [single[i] for i in group]
    merges = [p for p in proposals if p.decision.decision == "merge"]
    targets = {p.decision.existing_id for p in merges}
    if len(targets) > 1:
        pairs = sorted((p.pair for p in merges), key=_rank, reverse=True)
        return _review(group[0], pairs, f"records of one person in this file match {len(targets)} "
                                        "different existing records")
    reviews = [p for p in proposals if p.decision.decision == "review"]
    if merges:
        best = max(merges, key=lambda p: _rank(p.pair))
        target = best.decision.existing_id
        if all(target in r.decision.candidates for r in reviews):
            return best
        return _review(group[0], [best.pair] + [r.pair for r in reviews],
                       "records of one person in this file point at different existing records")
    return reviews[0] if reviews else single[group[0]]


def _one_to_one(chosen: dict[str, _Proposal]) -> dict[str, _Proposal]:
    """An existing record takes at most one incoming person: the strongest claim keeps it,
    the others go to review."""
    claims: dict[str, list[str]] = defaultdict(list)
    for head, prop in chosen.items():
        if prop.decision.decision == "merge":
            claims[prop.decision.existing_id].append(head)
    out = dict(chosen)
    for existing_id, heads in claims.items():
        if len(heads) < 2:
            continue
        heads.sort(key=lambda h: _rank(chosen[h].pair), reverse=True)
        for other in heads[1:]:
            out[other] = _review(other, [chosen[other].pair], f"existing record {existing_id} is also the "
                                                              f"best match of incoming {heads[0]}")
    return out


def _spread(group: list[str], choice: _Proposal, single: dict[str, _Proposal], out: dict) -> None:
    head = group[0]
    d = choice.decision
    for member in group:
        if member == head:
            out[member] = Decision(**{**_fields(d), "incoming_id": member})
        elif d.decision == "create":
            out[member] = Decision(incoming_id=member, decision="duplicate", duplicate_of=head,
                                   reason=f"same person as incoming {head}")
        else:
            out[member] = Decision(**{**_fields(d), "incoming_id": member, "duplicate_of": head,
                                      "reason": f"same person as incoming {head}; {d.reason}"})


def _fields(d: Decision) -> dict:
    return {name: getattr(d, name) for name in Decision.__dataclass_fields__}
