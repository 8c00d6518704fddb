"""`enclave pack build`: the built folder runs in a fresh virtual environment made from its own requirements
alone (no project, no PYTHONPATH), through the engine's Analyzer protocol, and judges like the repository's pack."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from enclave.cli import main
from enclave.offline.model import CapturedResource
from enclave.pack_build import pinned_requirements
from policy_engine.client import PolicyEngine, StackIdentity

ROOT = Path(__file__).resolve().parents[2]
BUCKET = "urn:pulumi:dev::app::aws:s3/bucket:Bucket::records"


def _uv() -> str:
    uv = shutil.which("uv") or str(Path(sys.executable).with_name("uv"))
    assert Path(uv).exists() or shutil.which(uv), "uv is needed to make the pack's virtual environment"
    return uv


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pack") / "residency-pack"
    assert main(["pack", "build", "--output", str(out)]) == 0
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    # The environment the engine makes for a published pack: its `venv`, from its requirements.txt only.
    subprocess.run([_uv(), "venv", "--quiet", "--python", sys.executable, str(out / "venv")], check=True, env=env)
    subprocess.run(
        [_uv(), "pip", "install", "--quiet", "--python", str(out / "venv" / "bin" / "python"),
         "-r", str(out / "requirements.txt")],
        check=True, env=env,
    )  # fmt: skip
    return out


def test_the_folder_has_the_pack_its_code_and_pinned_requirements(built: Path) -> None:
    names = {p.name for p in built.iterdir()}
    assert {"PulumiPolicy.yaml", "requirements.txt", "__main__.py", "residency_pack", "residency", "adapters"} <= names
    assert (built / "governance" / "transfer-assessments.toml").exists()
    assert not (built / "residency" / "deidentify").exists()
    assert "virtualenv: venv" in (built / "PulumiPolicy.yaml").read_text()
    assert "pulumi-policy==1.21.0" in (built / "requirements.txt").read_text().splitlines()


def _analyze(pack: Path, region: str, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    monkeypatch.delenv("PYTHONPATH", raising=False)
    monkeypatch.delenv("VIRTUAL_ENV", raising=False)
    bucket = CapturedResource(urn=BUCKET, type="aws:s3/bucket:Bucket", name="records", custom=True,
                              inputs={"region": region}, region=region)  # fmt: skip
    identity = StackIdentity("app", "dev", {"enclave:jurisdiction": "eu", "aws:region": "eu-west-1"})
    with PolicyEngine(pack, identity) as engine:
        assert engine.python == str(pack / "venv" / "bin" / "python")  # the pack's own environment
        engine.configure({})
        return sorted((d.policy, d.level) for d in engine.analyze([bucket]) if d.policy == "residency-location")


def test_the_built_pack_judges_through_the_engine_protocol_in_its_own_environment(
    built: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _analyze(built, "us-east-1", monkeypatch) == [("residency-location", "mandatory")]
    assert _analyze(built, "eu-west-1", monkeypatch) == []


def test_an_existing_output_is_refused_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "file").write_text("x")
    assert main(["pack", "build", "--output", str(tmp_path / "taken")]) == 2
    assert capsys.readouterr().err == (
        f"enclave pack: error: --output {tmp_path / 'taken'}: exists and is not an empty directory; name a new one\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken"]


def test_requirements_are_the_closure_of_the_packs_imports_in_uv_lock() -> None:
    lines = pinned_requirements(ROOT / "uv.lock")
    names = {line.split("==")[0] for line in lines}
    assert {"pulumi-policy", "pulumi", "grpcio", "protobuf", "pyyaml"} <= names
    assert not names & {"pulumi-aws", "boto3", "rich", "polars", "jinja2"}  # the CLI's, not the pack's
