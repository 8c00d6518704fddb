import json
from pathlib import Path

import pytest

from enclave.offline.model import CapturedResource, ProgramRun
from enclave.offline.runner import run_program, run_stack
from enclave.offline.stack_files import SECRET_PLACEHOLDER, ProjectError, load_project, load_stack_config

PROGRAMS = Path(__file__).parent / "programs"
DEMO = PROGRAMS / "demo"


@pytest.fixture(scope="module")
def demo_run() -> ProgramRun:
    run = run_stack(DEMO, "dev")
    assert run.error is None
    return run


def resource(run: ProgramRun, name: str) -> CapturedResource:
    return next(r for r in run.resources if r.name == name)


def test_stack_config_merges_project_defaults_and_stack_values() -> None:
    config, secrets = load_stack_config(load_project(DEMO), "dev")
    assert config["demo:jurisdiction"] == "eu"  # unqualified project key, default
    assert config["demo:replicas"] == "2"  # typed default, as the engine's string
    assert config["demo:strict"] == "true"  # YAML bool -> engine string
    assert config["aws:region"] == "eu-central-1"
    assert config["demo:token"] == SECRET_PLACEHOLDER and secrets == ["demo:token"]


def test_unknown_stack_is_named() -> None:
    with pytest.raises(ProjectError, match=r"unknown stack 'prod'.*\(stacks: dev\)"):
        load_stack_config(load_project(DEMO), "prod")


def test_missing_project_file(tmp_path: Path) -> None:
    # Pulumi.yml is accepted when present, but the message names the file users are expected to write.
    with pytest.raises(ProjectError, match=r"Pulumi\.yaml does not exist"):
        load_project(tmp_path)


def test_pulumi_yml_spelling_is_accepted(tmp_path: Path) -> None:
    (tmp_path / "Pulumi.yml").write_text("name: p\nruntime: python\n")
    assert load_project(tmp_path).name == "p"


@pytest.mark.parametrize("config", ["[a, b]", "just-text", "3"])
def test_project_config_must_be_a_mapping(tmp_path: Path, config: str) -> None:
    (tmp_path / "Pulumi.yaml").write_text(f"name: p\nruntime: python\nconfig: {config}\n")
    with pytest.raises(ProjectError, match=r"Pulumi\.yaml: config must be a mapping of key: value") as caught:
        load_project(tmp_path)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("config", ["[a, b]", "just-text"])
def test_stack_config_must_be_a_mapping(tmp_path: Path, config: str) -> None:
    (tmp_path / "Pulumi.yaml").write_text("name: p\nruntime: python\n")
    (tmp_path / "Pulumi.dev.yaml").write_text(f"config: {config}\n")
    with pytest.raises(ProjectError, match=r"Pulumi\.dev\.yaml: config must be a mapping of key: value"):
        load_stack_config(load_project(tmp_path), "dev")


def test_effective_region_own_then_provider_then_stack(demo_run: ProgramRun) -> None:
    assert resource(demo_run, "far").region == "us-east-1"  # own region input
    assert resource(demo_run, "records").region == "eu-west-1"  # explicit provider
    assert resource(demo_run, "default-region").region == "eu-central-1"  # stack aws:region
    assert resource(demo_run, "pinned").region == "eu-west-1"


def test_resource_options_are_captured(demo_run: ProgramRun) -> None:
    key, records = resource(demo_run, "key"), resource(demo_run, "records")
    assert key.protect and not key.retain_on_delete
    assert records.retain_on_delete and not records.protect
    assert records.provider == resource(demo_run, "pinned").urn
    # As the engine does, a resource without an explicit provider gets the package's default provider,
    # configured from the stack's config for that package.
    default = next(r for r in demo_run.resources if r.urn == resource(demo_run, "default-region").provider)
    assert default.type == "pulumi:providers:aws" and default.name.startswith("default_")
    assert default.inputs["region"] == "eu-central-1"
    assert records.parent is not None and records.parent.endswith("pulumi:pulumi:Stack::demo-dev")


def test_outputs_are_realistic(demo_run: ProgramRun) -> None:
    key = resource(demo_run, "key")
    assert key.outputs["arn"].startswith("arn:aws:kms:eu-west-1:444455556666:key/")
    vpc = resource(demo_run, "vpc")
    assert vpc.id is not None and vpc.id.startswith("vpc-") and len(vpc.id) == 21
    far = resource(demo_run, "far")
    assert far.id is not None and far.outputs["arn"] == f"arn:aws:s3:::{far.id}" and far.id.startswith("far-")


def test_runs_are_deterministic(demo_run: ProgramRun) -> None:
    again = run_stack(DEMO, "dev")

    def arns(run: ProgramRun) -> list[tuple[str, str | None, str]]:
        return sorted((r.urn, r.id, str(r.outputs.get("arn"))) for r in run.resources)

    assert arns(again) == arns(demo_run)


def test_policy_document_invoke_is_rendered(demo_run: ProgramRun) -> None:
    policy = json.loads(resource(demo_run, "records-policy").inputs["policy"])
    records = resource(demo_run, "records")
    [stmt] = policy["Statement"]
    assert stmt == {
        "Sid": "DenyInsecure",
        "Effect": "Deny",
        "Action": "s3:*",
        "Resource": [records.outputs["arn"], records.outputs["arn"] + "/*"],
        "Principal": "*",
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }


def test_stack_outputs(demo_run: ProgramRun) -> None:
    assert demo_run.stack_outputs["jurisdiction"] == "eu"
    assert demo_run.stack_outputs["replicas"] == 2
    assert demo_run.stack_outputs["strict"] is True
    assert demo_run.stack_outputs["keyArn"] == resource(demo_run, "key").outputs["arn"]


def test_run_error_is_one_line() -> None:
    run = run_program(PROGRAMS / "broken", "dev", {"broken:mode": "run-error"})
    assert run.error == "enclave:vpcCidr: '10.0.0.0/33' is not a valid IPv4 CIDR"
    assert run.resources == []


def test_missing_config_is_named() -> None:
    run = run_program(PROGRAMS / "broken", "dev", {})
    assert run.error is not None and "broken:mode" in run.error


def test_missing_package_is_named() -> None:
    run = run_program(PROGRAMS / "broken", "dev", {"broken:mode": "missing-module"})
    assert run.error == "the program imports 'not_a_real_package', which is not installed in this environment"


def test_crash_traceback_is_trimmed_to_program_frames() -> None:
    run = run_program(PROGRAMS / "broken", "dev", {"broken:mode": "crash"})
    assert run.error == "the program failed: KeyError: 'absent'"
    assert run.error_detail is not None
    assert "__main__.py" in run.error_detail and "site-packages" not in run.error_detail


def test_typed_key_without_default_is_required_like_the_cli(tmp_path: Path) -> None:
    (tmp_path / "Pulumi.yaml").write_text("name: p\nruntime: python\nconfig:\n  p:region:\n    type: string\n")
    (tmp_path / "Pulumi.dev.yaml").write_text("config: {}\n")
    with pytest.raises(ProjectError, match="Stack 'dev' is missing configuration value 'p:region'"):
        load_stack_config(load_project(tmp_path), "dev")


def test_shipped_project_declares_what_every_stack_sets() -> None:
    root = Path(__file__).resolve().parents[3]
    project = load_project(root)
    assert {"enclave:jurisdiction", "enclave:accountId"} <= set(project.required)
    for stack in project.stacks():
        load_stack_config(project, stack)  # raises if a stack lacks a required key


def test_auto_named_resources_report_their_physical_name(demo_run: ProgramRun) -> None:
    vpc_name = resource(demo_run, "records").outputs["bucket"]
    assert vpc_name == resource(demo_run, "records").id


def test_a_run_after_a_program_that_failed_mid_run_completes() -> None:
    # The failed run leaves pending outputs of its closed event loop in the SDK's settings; the next run in
    # the same process must not wait on them (it failed with "Event loop is closed").
    failed = run_program(PROGRAMS / "transforms", "dev", {"aws:region": "eu-west-1", "transforms:mode": "crash"})
    assert failed.error is not None and "no region for you" in failed.error
    after = run_stack(DEMO, "dev")
    assert after.error is None, after.error
    assert after.resources
