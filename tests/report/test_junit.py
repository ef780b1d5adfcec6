"""JUnit XML: one test case per finding (name: code and location; classname: the file), one passing
test case per clean file, as ruff writes it and as GitLab's and Jenkins's readers show it."""

from __future__ import annotations

import xml.etree.ElementTree as ET


def suite(owui, *args: str) -> ET.Element:
    ran = owui("check", "--format", "junit", *args)
    assert ran.out.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    return ET.fromstring(ran.out)


def test_one_case_per_finding_and_one_per_clean_file(owui, project) -> None:
    root = suite(owui)
    # compose.yaml: OW201, OW207, OW101, OW108; prod.env: OW105, OW108; clean.env: one passing case.
    assert root.tag == "testsuites" and root.get("tests") == "7" and root.get("failures") == "4"
    cases = [(case.get("classname"), case.get("name")) for case in root.iter("testcase")]
    assert cases == [
        ("clean.env", "no problems"),
        ("compose.yaml", "OW201 at compose.yaml:5:25"), ("compose.yaml", "OW207 at compose.yaml:5:25"),
        ("compose.yaml", "OW101 at compose.yaml:6:24"), ("compose.yaml", "OW108 at compose.yaml:6:24"),
        ("prod.env", "OW105 at prod.env:3:16"), ("prod.env", "OW108 at prod.env:3:16"),
    ]
    by_name = {case.get("name"): case for case in root.iter("testcase")}
    assert all(len(case.findall("failure")) <= 1 for case in by_name.values())
    rejected = by_name["OW101 at compose.yaml:6:24"].find("failure")
    assert rejected is not None and rejected.get("type") == "OW101"
    assert rejected.get("message").startswith("JWT_EXPIRES_IN='3600' is rejected by Open WebUI")
    # The failure's text keeps the full explanation; the attribute holds the short message.
    assert rejected.text.startswith("compose.yaml:6:24: OW101 error JWT_EXPIRES_IN='3600'")
    assert "no number followed by a unit" in rejected.text
    # OW108 is info, below the default fail-on (warning): a passing case with the finding in system-out.
    note = by_name["OW108 at compose.yaml:6:24"]
    assert note.find("failure") is None and note.find("system-out").text.startswith("compose.yaml:6:24: OW108 info")
    assert by_name["no problems"].find("failure") is None and by_name["no problems"].get("file") == "clean.env"


def test_fail_on_decides_what_fails(owui, project) -> None:
    strict = suite(owui, "--fail-on", "info")
    assert strict.get("failures") == "6"
    assert {case.get("name") for case in strict.iter("testcase") if case.find("failure") is not None} >= {
        "OW105 at prod.env:3:16", "OW108 at prod.env:3:16"}
    lenient = suite(owui, "--fail-on", "error")
    assert lenient.get("failures") == "2"
    assert all(case.find("failure") is None for case in lenient.iter("testcase") if case.get("classname") == "prod.env")
