"""routing.toml validation: every problem at once, each naming the file, the key and a fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from syncd.errors import ConfigError
from syncd.lifecycle import load_scoring
from syncd.routing import load_routing

from .helpers import REPO, ROUTING

OWNER = '[owner]\nfallback = "queue:Unassigned Leads"\n'
TERRITORY = '[[territories]]\nname = "DACH"\ncountries = ["DE"]\nusers = ["anna@acme.example"]\n'


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "routing.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _problems(path: Path, **kw) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        load_routing(path, **kw)
    return caught.value


BAD_FILES = [
    ("typo in a key", '[owner]\nfallback = "user:anna@acme.example"\nkeep_exsting = true\n',
     "owner.keep_exsting", "did you mean 'keep_existing'"),
    ("unknown section", OWNER + '[territory]\nname = "x"\n', "territory",
     "did you mean 'territories'"),
    ("no fallback", "[owner]\nkeep_existing = true\n", "owner.fallback", "queue:<queue name>"),
    ("no owner section", "[trigger]\nintent_active = true\n", "owner", "add an [owner]"),
    ("fallback of unknown kind", '[owner]\nfallback = "team:Sales"\n', "owner.fallback",
     '"queue:<queue name>" or "user:<email>"'),
    ("not an email", OWNER + '[[territories]]\nname = "A"\nusers = ["anna(at)acme"]\n',
     "territories[0].users[0]", "not an email address"),
    ("country name, not code", OWNER + '[[territories]]\nname = "UK"\ncountries = ["UK"]\n'
     'users = ["a@acme.example"]\n', "territories[0].countries[0]", "did you mean 'GB'"),
    ("users and a queue", OWNER + TERRITORY + 'queue = "EMEA Queue"\n',
     "territories[0].queue", "not both"),
    ("no assignees", OWNER + '[[territories]]\nname = "DACH"\ncountries = ["DE"]\n',
     "territories[0].users", "no assignees"),
    ("cap on a queue", OWNER + '[[territories]]\nname = "Q"\nqueue = "EMEA Queue"\n'
     "cap_open_active = 5\n", "territories[0].cap_open_active", "not to a queue"),
    ("zero cap", OWNER + TERRITORY + "cap_open_active = 0\n",
     "territories[0].cap_open_active", "greater than or equal to 1"),
    ("overflow typo", OWNER + TERRITORY + 'overflow = "nxt"\n', "territories[0].overflow",
     "'next'"),
    ("min above max", OWNER + TERRITORY + 'segment = [{ property = "numemployees", min = 500, '
     "max = 50 }]\n", "territories[0].segment[0].max", "max is below min"),
    ("condition without a test", OWNER + TERRITORY + 'segment = [{ property = "industry" }]\n',
     "territories[0].segment[0]", "needs values"),
    ("condition without property", OWNER + TERRITORY + "segment = [{ min = 5 }]\n",
     "territories[0].segment[0].property", "name the HubSpot property"),
    ("same territory twice", OWNER + TERRITORY + TERRITORY, "territories[1].name",
     "share this name"),
    ("time zone typo", OWNER + '[sla]\ntimezone = "Europe/Berln"\n', "sla.timezone",
     "did you mean 'Europe/Berlin'"),
    ("clock time", OWNER + '[sla]\nstart = "9am"\n', "sla.start", '"HH:MM"'),
    ("day ends before it starts", OWNER + '[sla]\nstart = "18:00"\nend = "09:00"\n', "sla.end",
     "ends before it starts"),
    ("weekday", OWNER + '[sla]\ndays = ["mon", "funday"]\n', "sla.days[1]", "'mon'"),
    ("no working day", OWNER + "[sla]\ndays = []\n", "sla.days", "never fall due"),
    ("holidays country", OWNER + '[sla]\nholidays_country = "Germany"\n',
     "sla.holidays_country", "did you mean 'DE'"),
    ("holidays subdivision", OWNER + '[sla]\nholidays_country = "DE"\n'
     'holidays_subdivision = "XY"\n', "sla.holidays_subdivision", "subdivision of DE"),
    ("holiday date", OWNER + '[sla]\nholidays = ["2026-13-01"]\n', "sla.holidays[0]", "date"),
    ("negative hours", OWNER + "[sla]\nhours = -1\n", "sla.hours", "greater than or equal"),
    ("subject placeholder", OWNER + '[sla]\nsubject = "Call {nmae}"\n', "sla.subject",
     "did you mean '{name}'"),
    ("subject braces", OWNER + '[sla]\nsubject = "Call {name"\n', "sla.subject",
     "braces do not pair up"),
    ("subject format", OWNER + '[sla]\nsubject = "{score:.1f}"\n', "sla.subject",
     "no format"),
    ("manager task without manager", OWNER + '[sla]\nescalation = "manager_task"\n',
     "sla.manager", "needs a manager"),
    ("manager is a queue", OWNER + '[sla]\nmanager = "queue:Managers"\n', "sla.manager",
     "cannot be owned by a queue"),
    ("escalation value", OWNER + '[sla]\nescalation = "email"\n', "sla.escalation",
     "'reassign'"),
]


@pytest.mark.parametrize(("text", "path", "fix"), [c[1:] for c in BAD_FILES],
                         ids=[c[0] for c in BAD_FILES])
def test_a_bad_file_names_file_key_and_fix(tmp_path, text, path, fix):
    file = _write(tmp_path, text)
    error = _problems(file)
    lines = [line for line in error.render().splitlines() if f"{file}: {path}:" in line]
    assert lines, error.render()
    assert any(fix in line for line in lines), error.render()


def test_every_problem_is_reported_together(tmp_path):
    text = ('[owner]\nfallback = "team:x"\n[[territories]]\nname = "A"\ncountries = ["UK"]\n'
            '[sla]\ntimezone = "Mars/Olympus"\nstart = "18:00"\nend = "09:00"\n')
    paths = {i.path for i in _problems(_write(tmp_path, text)).issues}
    assert {"owner.fallback", "territories[0].countries[0]", "territories[0].users",
            "sla.timezone", "sla.end"} <= paths


def test_trigger_stages_are_checked_against_scoring_keys(tmp_path):
    file = _write(tmp_path, OWNER + '[trigger]\nstages = ["mql", "sqll"]\n')
    stages = load_scoring(REPO / "mappings" / "scoring.toml").ranks
    issue, = _problems(file, stage_keys=stages).issues
    assert (issue.path, issue.hint) == ("trigger.stages[1]", "did you mean 'sql'?")
    assert load_routing(file).trigger.stages == ("mql", "sqll")   # unchecked without keys


def test_a_missing_file_says_to_copy_the_default(tmp_path):
    issue, = _problems(tmp_path / "routing.toml").issues
    assert issue.message == "file not found"
    assert "copy mappings/routing.toml" in issue.hint


def test_malformed_toml_is_an_issue_not_a_traceback(tmp_path):
    issue, = _problems(_write(tmp_path, "[owner\nfallback = 1\n")).issues
    assert issue.message.startswith("not valid TOML")


def test_values_are_normalised_when_read(tmp_path):
    file = _write(tmp_path, '[owner]\nfallback = " User : Boss@ACME.example "\n'
                            '[[territories]]\nname = "DACH"\ncountries = ["de"]\n'
                            'users = ["Anna@Acme.Example"]\n'
                            "[sla]\nstart = 08:30:00\nholidays = [2026-12-24]\n")
    rules = load_routing(file)
    assert rules.owner.fallback == "user:boss@acme.example"
    assert rules.territories[0].countries == ("DE",)
    assert rules.territories[0].users == ("anna@acme.example",)
    assert rules.sla.start == "08:30"
    assert rules.source == str(file)


def test_the_shipped_file_is_valid_against_the_shipped_scoring():
    stages = load_scoring(REPO / "mappings" / "scoring.toml").ranks
    rules = load_routing(ROUTING, stage_keys=stages)
    assert rules.sla.timezone == "Europe/Berlin"
    assert [t.name for t in rules.territories][:2] == ["North America enterprise",
                                                       "North America"]


def test_the_shipped_file_ships_inside_the_package():
    import syncd

    packaged = Path(syncd.__file__).parent / "default_mappings" / "routing.toml"
    assert packaged.read_bytes() == ROUTING.read_bytes()
