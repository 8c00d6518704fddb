"""`enclave transfers`: lists assessments and exemptions, exit 1 on expired/invalid, 2 on unreadable."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from enclave.cli import main

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = ROOT / "governance" / "examples"


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["transfers", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def _copy_examples(tmp_path: Path) -> Path:
    for name in ("transfer-assessments.toml", "exemptions.toml"):
        (tmp_path / name).write_text((EXAMPLES / name).read_text())
    return tmp_path


def test_shipped_registries_are_valid(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "--check", "--governance-dir", str(ROOT / "governance"))
    assert code == 0 and "No transfer assessments" in out


def test_examples_list_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "--format", "json", "--governance-dir", str(EXAMPLES), "--today", "2026-06-01")
    doc = json.loads(out)
    assert code == 0
    assert [a["id"] for a in doc["assessments"]] == ["TRA-EU-2026-001", "TRA-EU-2026-002"]
    assert doc["assessments"][0]["destination"] == "jurisdiction uk" and doc["assessments"][0]["status"] == "valid"
    assert doc["exemptions"][0]["id"] == "EX-2026-001" and doc["exemptions"][0]["owner"] == "platform-team@example.com"


def test_table_shows_each_record(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "--governance-dir", str(EXAMPLES), "--today", "2026-06-01")
    assert code == 0 and "TRA-EU-2026-001" in out and "eu -> jurisdiction uk" in out and "EX-2026-001" in out


def test_check_fails_on_expired_and_names_them(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "--check", "--governance-dir", str(EXAMPLES), "--today", "2027-01-20")
    assert code == 1 and "expired: TRA-EU-2026-001" in err and "TRA-EU-2026-002" not in err
    assert "expired" in out


def test_listing_without_check_shows_expired_but_succeeds(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "--format", "json", "--governance-dir", str(EXAMPLES), "--today", "2028-01-01")
    assert code == 0 and {a["status"] for a in json.loads(out)["assessments"]} == {"expired"}


def test_expiring_soon_is_flagged(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = _run(capsys, "--format", "json", "--governance-dir", str(EXAMPLES), "--today", "2027-01-05")
    assert json.loads(out)["assessments"][0]["status"] == "expires in 10 days"


def test_invalid_registry_exits_1_naming_the_value(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    directory = _copy_examples(tmp_path)
    text = (directory / "transfer-assessments.toml").read_text().replace('"adequacy-decision"', '"handshake"')
    (directory / "transfer-assessments.toml").write_text(text)
    code, _, err = _run(capsys, "--governance-dir", str(directory))
    assert code == 1 and "'handshake' is not one of" in err and "TRA-EU-2026-001" in err and "Traceback" not in err


def test_invalid_exemption_exits_1(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    directory = _copy_examples(tmp_path)
    (directory / "exemptions.toml").write_text('[[exemption]]\nid = "EX-1"\nrule = "vpc-flow-logs"\n')
    code, _, err = _run(capsys, "--check", "--governance-dir", str(directory))
    assert code == 1 and "EX-1" in err and "is required" in err


def test_unparseable_registry_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "transfer-assessments.toml").write_text("[[assessment]\n")
    code, _, err = _run(capsys, "--governance-dir", str(tmp_path))
    assert code == 2 and "is not valid TOML" in err


def test_missing_registry_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = _run(capsys, "--governance-dir", str(tmp_path / "none"))
    assert code == 2 and "does not exist" in err


def test_bad_date_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["transfers", "--today", "tomorrow"])
    assert exit_info.value.code == 2 and "'tomorrow' is not a date" in capsys.readouterr().err


def test_default_directory_is_the_projects_governance(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT / "docs")
    code, out, _ = _run(capsys, "--format", "json")
    assert code == 0 and json.loads(out)["governance_dir"] == str(ROOT / "governance")


@pytest.mark.parametrize(
    ("name", "toml", "message"),
    [
        ("transfer-assessments.toml", 'assessment = "oops"\n', "assessment must be an array of tables"),
        ("exemptions.toml", "exemption = 3\n", "exemption must be an array of tables"),
        (
            "exemptions.toml",
            '[[exemption]]\nid = "x"\nrule = ["key-custody"]\nresource = "r"\nreason = "r"\nowner = "o"\n'
            "expires = 2030-01-01\n",
            "exemption 'x' rule: must be a non-empty string",
        ),
    ],
)
def test_registry_shape_error_is_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str, toml: str, message: str
) -> None:
    directory = _copy_examples(tmp_path)
    (directory / name).write_text(toml)
    code, _, err = _run(capsys, "--governance-dir", str(directory))
    assert code == 1 and message in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
