"""JUnit XML: a test case per file checked, a failure per finding at or above fail-on."""

from __future__ import annotations

import xml.etree.ElementTree as ET


def suite(owui, *args: str) -> ET.Element:
    ran = owui("check", "--format", "junit", *args)
    assert ran.out.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    return ET.fromstring(ran.out)


def test_one_case_per_file_and_a_failure_per_finding(owui, project) -> None:
    root = suite(owui)
    assert root.tag == "testsuites" and root.get("tests") == "3" and root.get("failures") == "2"
    cases = {case.get("name"): case for case in root.iter("testcase")}
    assert list(cases) == ["clean.env", "compose.yaml", "prod.env"]
    assert cases["clean.env"].find("failure") is None
    failures = cases["compose.yaml"].findall("failure")
    assert [failure.get("type") for failure in failures] == ["OW201", "OW207", "OW101"]
    assert failures[2].get("message").startswith("JWT_EXPIRES_IN='3600' is rejected by Open WebUI")
    assert failures[2].text.startswith("compose.yaml:6:24: OW101 error JWT_EXPIRES_IN='3600'")
    # OW108 is info, below the default fail-on (warning): listed, not failing.
    assert cases["compose.yaml"].find("system-out").text.startswith("compose.yaml:6:24: OW108 info")
    assert [failure.get("type") for failure in cases["prod.env"].findall("failure")] == ["OW105"]


def test_fail_on_decides_what_fails(owui, project) -> None:
    strict = {case.get("name"): case for case in suite(owui, "--fail-on", "info").iter("testcase")}
    assert [f.get("type") for f in strict["prod.env"].findall("failure")] == ["OW105", "OW108"]
    lenient = suite(owui, "--fail-on", "error")
    cases = {case.get("name"): case for case in lenient.iter("testcase")}
    assert lenient.get("failures") == "1" and cases["prod.env"].find("failure") is None
