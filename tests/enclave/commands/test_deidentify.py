"""`enclave deidentify` on files: the bundled sample, formats, exit codes, and no partial output."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest

from enclave.cli import main
from scripts.synthetic_people import DIRECT_IDENTIFIERS, people

ROOT = Path(__file__).resolve().parents[3]
SAMPLE = ROOT / "governance" / "datasets" / "samples" / "people.csv"


WORD = re.compile(r"[\w@.+'-]+")


def leaked_identifiers(
    source: pl.DataFrame, published: pl.DataFrame, free_text: tuple[str, ...] = ("notes",)
) -> set[str]:
    """Input direct-identifier values found in the output: a whole value as any cell or inside free text,
    or a word of one (of at least 3 characters) as a word of the free text."""
    values: set[str] = set()
    words: set[str] = set()
    for column in DIRECT_IDENTIFIERS:
        for value in source[column].drop_nulls().cast(pl.String).to_list():
            values.add(value.lower())
            words.update(w.lower() for w in value.split() if len(w) >= 3)
    cells = {str(v).lower() for row in published.rows() for v in row if v is not None}
    texts = [str(t).lower() for c in free_text if c in published.columns for t in published[c].drop_nulls().to_list()]
    text_words = {w.strip(".,;:()'") for t in texts for w in WORD.findall(t)}
    whole = " \n ".join(texts)
    return (values & cells) | (words & text_words) | {v for v in values if v in whole}


def test_the_bundled_sample_becomes_k_anonymous_test_data_without_identifiers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output, report_path = tmp_path / "people.parquet", tmp_path / "report.json"
    code = main(
        [
            "deidentify",
            "--dataset",
            "people",
            "--input",
            str(SAMPLE),
            "--output",
            str(output),
            "--report",
            str(report_path),
        ]
    )
    assert code == 0, capsys.readouterr().err
    out = pl.read_parquet(output)
    report = json.loads(report_path.read_text())
    assert report["k_achieved"] >= 10 and report["records_out"] == out.height >= 0.95 * report["records_in"]
    assert out.group_by(["age", "sex", "postcode", "city", "visit_date"]).len()["len"].min() >= 10  # type: ignore[operator]
    # No input identifier survives anywhere: not as a value, not inside the notes.
    source = pl.read_csv(SAMPLE, infer_schema=False)
    assert leaked_identifiers(source, out) == set()
    # The check finds a leak where there is one.
    assert leaked_identifiers(source, source.select("notes", "sex")) != set()
    assert report["risk"]["linkability_max"] <= report["risk"]["linkability_bound"] == 0.1
    assert "k=" in capsys.readouterr().out


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet"])
def test_every_format_reads_and_writes(tmp_path: Path, suffix: str) -> None:
    source = people(2000)
    path = tmp_path / f"in{suffix}"
    writers: dict[str, Callable[[Path], object]] = {
        ".csv": source.write_csv,
        ".jsonl": source.write_ndjson,
        ".parquet": source.write_parquet,
    }
    writers[suffix](path)
    output = tmp_path / f"out{suffix}"
    assert (
        main(
            [
                "deidentify",
                "--dataset",
                "people",
                "--input",
                str(path),
                "--output",
                str(output),
                "--report",
                str(tmp_path / "r.json"),
            ]
        )
        == 0
    )
    readers: dict[str, Callable[[Path], pl.DataFrame]] = {
        ".csv": pl.read_csv,
        ".jsonl": pl.read_ndjson,
        ".parquet": pl.read_parquet,
    }
    read = readers[suffix]
    out = read(output)
    assert out.height > 0 and "full_name" not in out.columns and "phone" not in out.columns


def test_the_report_is_printed_without_report_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["deidentify", "--dataset", "people", "--input", str(SAMPLE), "--output", str(tmp_path / "o.csv")]) == 0
    assert json.loads(capsys.readouterr().out)["dataset"] == "people"


def run_failing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], frame: pl.DataFrame, *extra: str
) -> tuple[int, str]:
    source = tmp_path / "in.csv"
    frame.write_csv(source)
    output = tmp_path / "out.csv"
    code = main(
        [
            "deidentify",
            "--dataset",
            "people",
            "--input",
            str(source),
            "--output",
            str(output),
            "--report",
            str(tmp_path / "r.json"),
            *extra,
        ]
    )
    assert not output.exists() and not (tmp_path / "r.json").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]  # no temporary file left either
    return code, capsys.readouterr().err


def test_an_unknown_column_is_exit_2_with_no_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = run_failing(tmp_path, capsys, people(50).with_columns(pl.lit("x").alias("nhs_number")))
    assert code == 2
    assert (
        err
        == "enclave deidentify: error: input column 'nhs_number' is not in dataset 'people'; add it to the schema with a kind (direct-identifier, quasi-identifier, free-text, safe) before it can be processed\n"
    )


def test_a_bad_value_is_exit_2_with_no_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = run_failing(tmp_path, capsys, people(50).with_columns(pl.lit("old").alias("age")))
    assert code == 2 and err.count("\n") == 1 and "a value does not fit its field's rule" in err


def test_too_few_records_for_k_is_exit_1_and_says_why(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = run_failing(tmp_path, capsys, people(30))
    assert code == 1
    assert err.startswith(
        "enclave deidentify: failed: dataset 'people': reaching k=10 and l=2 over 'diagnosis' would suppress"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--dataset", "nope"], "dataset 'nope': no schema"),
        (["--output", "out.xlsx"], "out.xlsx: unknown table format '.xlsx'; allowed: .csv, .jsonl, .ndjson, .parquet"),
        (["--output", "missing-dir/out.csv"], "--output missing-dir/out.csv: directory missing-dir does not exist"),
        (["--input", "absent.csv"], "--input absent.csv: cannot read"),
        (["--key-file", "absent.key"], "--key-file absent.key: cannot read"),
    ],
)
def test_bad_arguments_are_one_line_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    defaults = {"--dataset": "people", "--input": str(SAMPLE), "--output": "out.csv"}
    for flag, value in zip(args[::2], args[1::2], strict=True):
        defaults[flag] = value
    argv = ["deidentify", "--datasets-dir", str(ROOT / "governance" / "datasets")]
    for flag, value in defaults.items():
        argv += [flag, value]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert not (tmp_path / "out.csv").exists()


def test_a_key_from_the_environment_gives_stable_pseudonyms(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENCLAVE_PSEUDONYM_KEY", "ab" * 32)
    outputs = []
    for name in ("a.csv", "b.csv"):
        assert (
            main(
                [
                    "deidentify",
                    "--dataset",
                    "people",
                    "--input",
                    str(SAMPLE),
                    "--output",
                    str(tmp_path / name),
                    "--report",
                    str(tmp_path / "r.json"),
                ]
            )
            == 0
        )
        outputs.append(pl.read_csv(tmp_path / name)["patient_id"].to_list())
    assert outputs[0] == outputs[1]
    monkeypatch.setenv("ENCLAVE_PSEUDONYM_KEY", "not hex")
    assert main(["deidentify", "--dataset", "people", "--input", str(SAMPLE), "--output", str(tmp_path / "c.csv")]) == 2
