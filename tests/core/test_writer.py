"""Per-row write results decide what is settled, retried next cycle, or rejected."""

from __future__ import annotations

from datetime import UTC, datetime

from syncd.models import WriteResult
from syncd.ports import ApiUsage
from syncd.sync.match import MatchDecision
from syncd.sync.plan import PlannedWrite
from syncd.sync.summary import CycleSummary
from syncd.sync.writer import write_planned

NOW = datetime(2026, 11, 1, tzinfo=UTC)


class FakeCrm:
    """Answers every upsert with the results it was given, in order."""

    def __init__(self, results: list[WriteResult]) -> None:
        self.results, self.sent = results, []

    def upsert(self, object_name, external_id_field, rows):
        self.sent.append((object_name, external_id_field, list(rows)))
        return self.results[:len(rows)]

    def usage(self) -> ApiUsage:
        return ApiUsage(calls={"upsert": len(self.sent)})


def test_written_retriable_and_rejected_rows_are_told_apart():
    plans = [(PlannedWrite(hubspot_id=h, object_name="Lead", mode="upsert", record_id=None,
                           fields={"HubSpot_Id__c": h}, desired={"HubSpot_Id__c": h}),
              MatchDecision(hubspot_id=h, action="create")) for h in ("1", "2", "3")]
    crm = FakeCrm([WriteResult(key="1", ok=True, id="00Q1", created=True),
                   WriteResult(key="2", ok=False, error_code="UNABLE_TO_LOCK_ROW", retriable=True),
                   WriteResult(key="3", ok=False, error_code="STRING_TOO_LONG", message="LastName")])
    summary, settled = CycleSummary(run_id="r"), []
    outcome = {k: [] for k in ("links", "written", "rejects")}
    write_planned(crm, plans, external_id_field="HubSpot_Id__c", summary=summary, outcome=outcome,
                  settled=settled, run_id="r", now=NOW)
    assert (summary.created, summary.retrying, summary.rejected) == (1, 1, 1)
    assert settled == ["1", "3"]  # "2" stays pending for the next cycle
    assert [r["sf_id"] for r in outcome["links"]] == ["00Q1"]
    assert outcome["rejects"][0]["code"] == "STRING_TOO_LONG"
