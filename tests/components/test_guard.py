"""Bad config and out-of-jurisdiction placement stop the program with one line, before any resource exists."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest

from enclave.offline.model import ProgramRun
from enclave.offline.runner import run_program
from tests.components.enclave_runs import run_with, stack_config

EU_REGIONS = "eu-central-1, eu-north-1, eu-south-1, eu-south-2, eu-west-1, eu-west-3"


def assert_stopped_cleanly(run: ProgramRun, message: str) -> None:
    assert run.error == message
    assert [r.type for r in run.resources if r.custom] == []


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"enclave__jurisdiction": "xx"},
            "enclave:jurisdiction: unknown jurisdiction 'xx'; allowed: au, br, ca, ch, eu, in, jp, sg, uk, us",
        ),
        (
            {"aws__region": "us-east-1"},
            "aws:region: region 'us-east-1' is outside European Union (it is in United States); "
            f"allowed for eu: {EU_REGIONS}",
        ),
        (
            {"enclave__vpcCidr": "10.10.0.0/40"},
            "enclave:vpcCidr: malformed CIDR '10.10.0.0/40'; allowed: a private IPv4 CIDR from /16 to /24, e.g. 10.20.0.0/16",
        ),
        (
            {"enclave__vpcCidr": "10.11.0.0/16"},
            "enclave:vpcCidr: 10.11.0.0/16 overlaps stack 'uk-london' (10.11.0.0/16); allowed: a CIDR that no other enclave uses",
        ),
        (
            {"enclave__accountId": None},
            "enclave:accountId: is required; allowed: the enclave's 12-digit AWS account id",
        ),
        (
            {"enclave__auditRetentionDays": "0"},
            "enclave:auditRetentionDays: 0 is out of range; allowed: a whole number of days from 1 to 3650",
        ),
        (
            {"enclave__stackKind": "cluster"},
            "enclave:stackKind: 'cluster' is not a stack kind; allowed: enclave, org",
        ),
    ],
)
def test_bad_config_stops_before_any_resource(changes: dict[str, str | None], message: str) -> None:
    assert_stopped_cleanly(run_with("eu-dublin", **changes), message)


def test_overlap_is_checked_against_every_other_shipped_stack() -> None:
    """A new stack reusing a shipped CIDR is refused; a stack never overlaps itself."""
    config = stack_config("eu-dublin")
    run = run_program(Path(__file__).resolve().parents[2], "eu-dublin-copy", config)
    assert_stopped_cleanly(
        run,
        "enclave:vpcCidr: 10.10.0.0/16 overlaps stack 'eu-dublin' (10.10.0.0/16); allowed: a CIDR that no other enclave uses",
    )


def test_org_stack_deploys_the_guardrails_instead(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[object] = []
    fake = types.ModuleType("components.org_guardrails")
    fake.deploy_org_guardrails = lambda stacks: calls.append(stacks)  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "components.org_guardrails", fake)
    run = run_program(
        Path(__file__).resolve().parents[2], "org", {"enclave:stackKind": "org", "aws:region": "eu-west-1"}
    )
    assert run.error is None
    # The guardrails get every shipped enclave stack's config (the SCP exemptions and deploy roles need them).
    [stacks] = calls
    assert isinstance(stacks, dict) and len(stacks) == 8
    assert stacks["eu-dublin"]["enclave:accountId"] == "111111111101"
    assert [r.type for r in run.resources if r.custom] == []


PLACEMENT_PROGRAM = """
import pulumi
from residency.jurisdictions import default_catalogue
from components.principals import EnclavePrincipals
{imports}

eu = default_catalogue().get("eu")
principals = EnclavePrincipals("111111111101", "eu", "enclave-deploy")
{construct}
"""

PLACEMENTS = {
    "RegionalEnclave": (
        "from components.enclave import RegionalEnclave, RegionalEnclaveArgs",
        'RegionalEnclave("enclave-eu", RegionalEnclaveArgs(eu, "eu-west-2", "111111111101", "10.10.0.0/16", ["eu-west-2a", "eu-west-2b"]))',
        "RegionalEnclave enclave-eu: region 'eu-west-2' is outside European Union; allowed: " + EU_REGIONS,
    ),
    "EnclaveKeys": (
        "from components.keys import EnclaveKeys, EnclaveKeysArgs",
        'EnclaveKeys("k", EnclaveKeysArgs(eu, "us-east-1", principals))',
        "EnclaveKeys k: region 'us-east-1' is outside European Union; allowed: " + EU_REGIONS,
    ),
    "EnclaveStorage": (
        "from components.storage import EnclaveStorage, EnclaveStorageArgs",
        'EnclaveStorage("s", EnclaveStorageArgs(eu, "eu-central-2", principals, None, None, ""))',
        "EnclaveStorage s: region 'eu-central-2' is outside European Union; allowed: " + EU_REGIONS,
    ),
    "EnclaveNetwork": (
        "from components.network import EnclaveNetwork, EnclaveNetworkArgs",
        'EnclaveNetwork("n", EnclaveNetworkArgs(eu, "ap-south-1", "111111111101", "10.10.0.0/16", ["ap-south-1a", "ap-south-1b"], None, ""))',
        "EnclaveNetwork n: region 'ap-south-1' is outside European Union; allowed: " + EU_REGIONS,
    ),
    "EnclaveNetwork zones": (
        "from components.network import EnclaveNetwork, EnclaveNetworkArgs",
        'EnclaveNetwork("n", EnclaveNetworkArgs(eu, "eu-west-1", "111111111101", "10.10.0.0/16", ["eu-west-1a", "eu-west-2a"], None, ""))',
        "EnclaveNetwork n: zones ['eu-west-2a'] are not in eu-west-1",
    ),
    "EnclaveOversight": (
        "from components.oversight import EnclaveOversight, EnclaveOversightArgs",
        'EnclaveOversight("o", EnclaveOversightArgs(eu, "us-west-2", principals, None, 365, []))',
        "EnclaveOversight o: region 'us-west-2' is outside European Union; allowed: " + EU_REGIONS,
    ),
    "EnclaveAccess": (
        "from components.access import EnclaveAccess, EnclaveAccessArgs",
        'EnclaveAccess("a", EnclaveAccessArgs(eu, "sa-east-1", principals, "", "", "", "", "", "", "", ""))',
        "EnclaveAccess a: region 'sa-east-1' is outside European Union; allowed: " + EU_REGIONS,
    ),
    "EnclaveBoundary": (
        "from components.boundary import EnclaveBoundary, EnclaveBoundaryArgs",
        'EnclaveBoundary("b", EnclaveBoundaryArgs(eu, "eu-west-2", "111111111101"))',
        "EnclaveBoundary b: region 'eu-west-2' is outside European Union; allowed: " + EU_REGIONS,
    ),
}


@pytest.mark.parametrize("component", sorted(PLACEMENTS))
def test_components_refuse_to_place_anything_outside_the_jurisdiction(component: str, tmp_path: Path) -> None:
    imports, construct, message = PLACEMENTS[component]
    (tmp_path / "Pulumi.yaml").write_text("name: enclave\nruntime: python\n")
    (tmp_path / "__main__.py").write_text(PLACEMENT_PROGRAM.format(imports=imports, construct=construct))
    run = run_program(tmp_path, "placement", {"aws:region": "eu-west-1"})
    assert run.error == message
    assert [r.type for r in run.resources if r.type.startswith("aws:")] == []


def test_unreadable_stack_file_is_one_line_naming_the_file(tmp_path: Path) -> None:
    project = Path(__file__).resolve().parents[2]
    (tmp_path / "Pulumi.yaml").write_text("name: enclave\nruntime: python\n")
    (tmp_path / "__main__.py").write_text((project / "__main__.py").read_text())
    (tmp_path / "stacks").mkdir()
    (tmp_path / "stacks" / "Pulumi.broken.yaml").write_text("config: [unclosed\n")
    run = run_program(tmp_path, "eu-dublin", stack_config("eu-dublin"))
    assert run.error is not None
    assert run.error.startswith("enclave:vpcCidr: cannot read Pulumi.broken.yaml to check CIDR overlap: ")
    assert "\n" not in run.error
    assert [r.type for r in run.resources if r.custom] == []
