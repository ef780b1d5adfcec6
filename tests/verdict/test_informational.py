"""OW108 once per run by default, naming the deployments; per value when the selection names it."""

from __future__ import annotations

from validator.findings import Finding, Severity
from validator.location import Location
from validator.verdict.informational import quiet
from validator.verdict.selection import Selection


def note(path: str, name: str) -> Finding:
    return Finding("OW108", Severity.INFO, "JWT_EXPIRES_IN only seeds the stored setting auth.jwt_expiry on the "
                   "first start", Location(path, 2, 16), "JWT_EXPIRES_IN", deployments=(name,),
                   explanation="After that, changing it has no effect.")


def test_every_ow108_folds_into_the_first_naming_all_deployments() -> None:
    other = Finding("OW105", Severity.WARNING, "too long", Location("b.env", 2, 16))
    notes = [note(f"{name}.env", f"env file {name}.env") for name in "abcde"]
    folded = quiet([notes[0], other, *notes[1:]], Selection())
    assert [finding.code for finding in folded] == ["OW108", "OW105"]
    one = folded[0]
    assert one.location == notes[0].location and one.deployments == tuple(f"env file {n}.env" for n in "abcde")
    assert one.message == ("JWT_EXPIRES_IN only seeds the stored setting on first start (here and 4 more; "
                           "see `owui-validate rule OW108`)")
    assert one.explanation.startswith("Deployments concerned: env file a.env, env file b.env, env file c.env and 2 "
                                      "more; --select OW108 reports each value. After that")


def test_a_single_ow108_stays_as_it_is() -> None:
    single = [note("a.env", "env file a.env")]
    assert quiet(single, Selection()) == single


def test_naming_ow108_in_select_or_severity_reports_each_value() -> None:
    notes = [note("a.env", "a"), note("b.env", "b")]
    assert quiet(notes, Selection(select=("OW", "OW108"))) == notes
    assert quiet(notes, Selection(severity={"OW108": Severity.WARNING})) == notes
    assert len(quiet(notes, Selection(select=("OW1",)))) == 1


def test_notes_in_context_files_are_counted_and_the_first_one_decides_where_it_goes() -> None:
    """A split pre-commit run: each batch reads the rest as context; only the batch holding the first
    OW108 reports the note, with the count a whole-repository run gives."""
    notes = [note(f"{name}.env", f"env file {name}.env") for name in "abcd"]
    first_batch = quiet(notes[:2], Selection(), outside=notes[2:])
    second_batch = quiet(notes[2:], Selection(), outside=notes[:2])
    whole = quiet(notes, Selection())
    assert first_batch == whole and second_batch == []
    assert "(here and 3 more;" in whole[0].message
