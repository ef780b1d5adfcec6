"""The bundled examples are the README's demonstration: their findings are pinned here."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

BAD = [
    ("bad/broken/docker-compose.yaml", 6, 6, "OW001"),
    ("bad/compose.yaml", 8, 25, "OW201"),
    ("bad/compose.yaml", 8, 25, "OW207"),
    ("bad/compose.yaml", 9, 23, "OW102"),
    # The run's one OW108, naming the nine values it concerns (validator.verdict.informational).
    ("bad/compose.yaml", 9, 23, "OW108"),
    ("bad/compose.yaml", 13, 3, "OW205"),
    ("bad/compose.yaml", 17, 24, "OW101"),
    ("bad/compose.yaml", 22, 30, "OW206"),
    ("bad/compose.yaml", 27, 25, "OW209"),
    ("bad/compose.yaml", 28, 23, "OW107"),
    ("bad/dev.env", 1, 25, "OW900"),
    ("bad/dev.env", 2, 18, "OW203"),
    ("bad/dev.env", 3, 16, "OW106"),
    ("bad/oauth.env", 4, 18, "OW210"),
    ("bad/production.env", 3, 26, "OW208"),
    ("bad/production.env", 4, 17, "OW105"),
    ("bad/staging.env", 3, 18, "OW208"),
    ("bad/staging.env", 4, 16, "OW103"),
    ("bad/test.env", 2, 18, "OW202"),
    ("bad/test.env", 3, 16, "OW104"),
    ("bad/weak.env", 2, 18, "OW204"),
    ("bad/weak.env", 3, 16, "OW101"),
    ("bad/webui.env", 4, 1, "OW002"),
]
KUBERNETES_AND_HELM = [
    ("helm/umbrella/values.yaml", 6, 15, "OW209"),
    ("helm/umbrella/values.yaml", 8, 14, "OW107"),
    ("helm/values.yaml", 3, 15, "OW205"),
    ("helm/values.yaml", 13, 19, "OW101"),
    ("kubernetes/open-webui.yaml", 35, 20, "OW101"),
    ("kubernetes/open-webui.yaml", 50, 17, "OW205"),
    ("kubernetes/secret.yaml", 9, 21, "OW201"),
    ("kubernetes/statefulset.yaml", 21, 17, "OW205"),
]
STORED = [
    ("stored/.env", 4, 16, "OW110"),
    ("stored/config-export.json", 4, 23, "OW102"),
]


def parsed(stdout: str) -> list[tuple[str, int, int, str]]:
    rows = []
    for line in stdout.splitlines()[:-1]:
        where, rest = line.split(": ", 1)
        path, row, column = where.rsplit(":", 2)
        rows.append((path.removeprefix("examples/"), int(row), int(column), rest.split()[0]))
    return rows


def test_example_findings_and_positions(cli) -> None:
    result = cli("check", "examples/", cwd=REPO)
    assert result.returncode == 1
    assert parsed(result.stdout) == BAD + KUBERNETES_AND_HELM + STORED
    assert "node-app" not in result.stdout


def test_examples_cover_every_rule_that_needs_no_option() -> None:
    from validator.rules import catalog

    needs_option = {"OW109"}  # only with --target-version below 0.6.34
    assert {row[3] for row in BAD + KUBERNETES_AND_HELM + STORED} == set(catalog()) - needs_option


def test_good_example_is_clean(cli) -> None:
    result = cli("check", "examples/good", cwd=REPO)
    assert (result.returncode, result.stdout) == (0, "No problems in 2 files.\n")


def test_node_app_example_is_clean(cli) -> None:
    assert cli("check", "examples/bad/node-app", cwd=REPO).returncode == 0
