"""The Pulumi program: one stack is one jurisdiction's enclave (or, with stackKind org, the org guardrails).

Config is validated in full before any resource is registered; a bad value stops the program with one
line naming the key, the value and what is allowed (``pulumi.RunError`` prints no traceback).
"""

from __future__ import annotations

from pathlib import Path

import pulumi
import yaml

from residency.errors import ConfigError
from residency.external_auditor import EXTERNAL_AUDITOR, ExternalAuditor, parse_external_auditor
from residency.stack_config import (
    ACCOUNT_ID,
    AUDIT_RETENTION_DAYS,
    AVAILABILITY_ZONES,
    BREAK_GLASS_PRINCIPALS,
    DEPLOY_ROLE_NAME,
    JURISDICTION,
    KUBERNETES,
    REGION,
    STACK_KIND,
    TEST_DATA_PIPELINE,
    VPC_CIDR,
    EnclaveConfig,
    parse_enclave_config,
    parse_stack_kind,
)
from residency.yaml_files import safe_load

KEYS = (
    JURISDICTION,
    REGION,
    ACCOUNT_ID,
    VPC_CIDR,
    AUDIT_RETENTION_DAYS,
    KUBERNETES,
    TEST_DATA_PIPELINE,
    STACK_KIND,
    AVAILABILITY_ZONES,
    DEPLOY_ROLE_NAME,
    BREAK_GLASS_PRINCIPALS,
    EXTERNAL_AUDITOR,
)
STACKS_DIR = Path(__file__).resolve().parent / "stacks"


def read_config() -> dict[str, str]:
    """The stack's config as Pulumi passes it: ``namespace:key`` -> string (absent keys left out)."""
    values: dict[str, str] = {}
    for key in KEYS:
        namespace, name = key.split(":", 1)
        value = pulumi.Config(namespace).get(name)
        if value is not None:
            values[key] = value
    return values


def other_stack_cidrs(stacks_dir: Path, this_stack: str) -> dict[str, str]:
    """The VPC CIDR of every other shipped stack (``stacks/Pulumi.<stack>.yaml``) that declares one."""
    cidrs: dict[str, str] = {}
    for path in sorted(stacks_dir.glob("Pulumi.*.yaml")):
        stack = path.name.removeprefix("Pulumi.").removesuffix(".yaml")
        if stack == this_stack:
            continue
        try:
            data = safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as err:
            detail = " ".join(str(err).split())  # YAML errors span lines; the message stays one line
            raise ConfigError(VPC_CIDR, f"cannot read {path.name} to check CIDR overlap: {detail}") from None
        cidr = (data.get("config") or {}).get(VPC_CIDR)
        if isinstance(cidr, str):
            cidrs[stack] = cidr
    return cidrs


def enclave_stack_configs(stacks_dir: Path) -> dict[str, dict[str, str]]:
    """Stack name -> config of every shipped enclave stack: the org stack binds its SCP exemptions to their
    accounts and creates their deploy roles."""
    stacks: dict[str, dict[str, str]] = {}
    for path in sorted(stacks_dir.glob("Pulumi.*.yaml")):
        try:
            config = (safe_load(path.read_text(encoding="utf-8")) or {}).get("config") or {}
        except (OSError, yaml.YAMLError) as err:
            detail = " ".join(str(err).split())
            raise ConfigError(ACCOUNT_ID, f"cannot read {path.name} to find the enclave accounts: {detail}") from None
        if config.get(STACK_KIND, "enclave") == "enclave" and JURISDICTION in config and ACCOUNT_ID in config:
            stack = path.name.removeprefix("Pulumi.").removesuffix(".yaml")
            stacks[stack] = {k: str(v) for k, v in config.items() if isinstance(v, str | int)}
    return stacks


def deploy_enclave(cfg: EnclaveConfig, external_auditor: ExternalAuditor | None = None) -> None:
    # Imported here so a config error never pays for (or fails on) the components' imports.
    from components.enclave import RegionalEnclave, RegionalEnclaveArgs

    enclave = RegionalEnclave(
        f"enclave-{cfg.jurisdiction.id}",
        RegionalEnclaveArgs(
            jurisdiction=cfg.jurisdiction,
            region=cfg.region,
            account_id=cfg.account_id,
            vpc_cidr=cfg.vpc_cidr,
            availability_zones=cfg.availability_zones,
            audit_retention_days=cfg.audit_retention_days,
            deploy_role_name=cfg.deploy_role_name,
            break_glass_principals=cfg.break_glass_principals,
            kubernetes=cfg.kubernetes,
            test_data_pipeline=cfg.test_data_pipeline,
            external_auditor=external_auditor,
        ),
    )
    pulumi.export("jurisdiction", cfg.jurisdiction.id)
    pulumi.export("region", cfg.region)
    pulumi.export("accountId", cfg.account_id)
    pulumi.export("vpcId", enclave.network.vpc.id)
    pulumi.export("privateSubnetIds", [s.id for s in enclave.network.subnets])
    pulumi.export("recordsBucketName", enclave.storage.records_bucket.bucket)
    pulumi.export("testdataBucketName", enclave.storage.testdata_bucket.bucket)
    pulumi.export("recordsKeyArn", enclave.keys.records_key.arn)
    pulumi.export("testdataKeyArn", enclave.keys.testdata_key.arn)
    pulumi.export("auditKeyArn", enclave.keys.audit_key.arn)
    pulumi.export("permissionsBoundaryArn", enclave.boundary.policy.arn)
    pulumi.export("auditBucketName", enclave.oversight.audit_bucket.bucket)
    pulumi.export("trailArn", enclave.oversight.trail.arn)
    pulumi.export("alarmTopicArn", enclave.access.alarm_topic.arn)
    pulumi.export("continuousAuditorRoleArn", enclave.continuous_audit.role.arn)
    pulumi.export("configRuleNames", [r.name for r in enclave.continuous_audit.rules.values()])
    pulumi.export("evidenceScheduleName", enclave.continuous_audit.schedule.name)
    # None says it plainly: no third party can audit this enclave (enclave:externalAuditor is not set).
    external = enclave.external_auditor
    pulumi.export("externalAuditorRoleArn", external.role.arn if external else None)
    for purpose, role in enclave.access.roles.items():
        camel = "".join(w if i == 0 else w.title() for i, w in enumerate(purpose.split("-")))
        pulumi.export(f"{camel}RoleArn", role.arn)


def main() -> None:
    config = read_config()
    try:
        if parse_stack_kind(config) == "org":
            from components.org_guardrails import deploy_org_guardrails

            deploy_org_guardrails(enclave_stack_configs(STACKS_DIR))
            return
        cfg = parse_enclave_config(config, other_stack_cidrs(STACKS_DIR, pulumi.get_stack()))
        external_auditor = parse_external_auditor(config, cfg.account_id)
    except ConfigError as err:
        raise pulumi.RunError(str(err)) from None
    deploy_enclave(cfg, external_auditor)


main()
