"""AWS Backup -> Placement (vaults, plans) and Transfer (copy actions to other regions/accounts) facts."""

from __future__ import annotations

from typing import Any

from adapters.aws_live.api import Api, ServiceScanner
from residency.model import Destination, Fact, Placement, Transfer, Vector
from residency.regions import account_from_arn, region_from_arn
from residency.rule_ids import LOCATION, transfer_rule_id

VAULT = "AWS::Backup::BackupVault"
PLAN = "AWS::Backup::BackupPlan"

PERMISSIONS = {
    "ListBackupVaults": "backup:ListBackupVaults",
    "ListBackupPlans": "backup:ListBackupPlans",
    "GetBackupPlan": "backup:GetBackupPlan",
}


def discover(api: Api) -> list[Any]:
    vaults = api.items(
        "list_backup_vaults", "BackupVaultList", rule=LOCATION, resource=api.arn("backup", "backup-vault:*")
    )
    plans = api.items(
        "list_backup_plans",
        "BackupPlansList",
        rule=transfer_rule_id(Vector.BACKUP_COPY),
        resource=api.arn("backup", "backup-plan:*"),
    )
    return [("vault", v) for v in vaults or []] + [("plan", p) for p in plans or []]


def inspect(api: Api, item: tuple[str, dict[str, Any]]) -> list[Fact]:
    kind, summary = item
    if kind == "vault":
        return [Placement(summary["BackupVaultArn"], VAULT, api.region)]
    arn = summary.get("BackupPlanArn", api.arn("backup", f"backup-plan:{summary.get('BackupPlanId')}"))
    plan = api.call(
        "get_backup_plan", rule=transfer_rule_id(Vector.BACKUP_COPY), resource=arn, BackupPlanId=summary["BackupPlanId"]
    )
    facts: list[Fact] = [Placement(arn, PLAN, api.region)]
    if plan is None:
        return facts
    for rule in plan.get("BackupPlan", {}).get("Rules", []):
        for action in rule.get("CopyActions", []):
            vault = action.get("DestinationBackupVaultArn", "")
            facts.append(
                Transfer(
                    Vector.BACKUP_COPY,
                    arn,
                    PLAN,
                    api.region,
                    Destination(
                        f"vault {vault} (rule {rule.get('RuleName')})", region_from_arn(vault), account_from_arn(vault)
                    ),
                )
            )
    return facts


SCANNER = ServiceScanner(
    name="backup", client_name="backup", permissions=PERMISSIONS, discover=discover, inspect=inspect
)
