"""In-jurisdiction equivalents (grants, copies and peers): transfers between EU regions or EU enclave accounts, global
control-plane resources, inbound copies. Each must pass (no mandatory residency finding)."""

import pulumi_aws as aws

from redteam_cases.registry import EU_OTHER, HOME, ROLE, allow, case


@case("pass")
def home_backup_copy_eu_central() -> None:
    aws.backup.Plan(
        "plan",
        name="plan",
        rules=[
            {
                "rule_name": "daily",
                "target_vault_name": "vault",
                "schedule": "cron(0 3 * * ? *)",
                "copy_actions": [{"destination_vault_arn": f"arn:aws:backup:eu-central-1:{HOME}:backup-vault:copy"}],
            }
        ],
    )


@case("pass")
def home_backup_vault_policy_eu_account() -> None:
    aws.backup.VaultPolicy(
        "copy-in",
        backup_vault_name="vault",
        policy=allow({"AWS": f"arn:aws:iam::{EU_OTHER}:root"}, "backup:CopyIntoBackupVault"),
    )


@case("pass")
def home_ecr_replication_eu() -> None:
    aws.ecr.ReplicationConfiguration(
        "images",
        replication_configuration={"rules": [{"destinations": [{"region": "eu-central-1", "registry_id": HOME}]}]},
    )


@case("pass")
def home_vpc_peering_eu() -> None:
    aws.ec2.VpcPeeringConnection(
        "peer", vpc_id="vpc-1", peer_vpc_id="vpc-2", peer_region="eu-central-1", peer_owner_id=HOME
    )


@case("pass")
def home_tgw_peering_eu_account() -> None:
    aws.ec2transitgateway.PeeringAttachment(
        "tgw",
        transit_gateway_id="tgw-1",
        peer_transit_gateway_id="tgw-2",
        peer_region="eu-north-1",
        peer_account_id=EU_OTHER,
    )


@case("pass")
def home_ram_share_eu_account() -> None:
    share = aws.ram.ResourceShare("share", name="subnets", allow_external_principals=False)
    aws.ram.PrincipalAssociation("platform", principal=EU_OTHER, resource_share_arn=share.arn)


@case("pass")
def home_lambda_permission_service_pinned() -> None:
    aws.lambda_.Permission(
        "from-s3",
        action="lambda:InvokeFunction",
        function="records",
        principal="s3.amazonaws.com",
        source_account=HOME,
        source_arn="arn:aws:s3:::records-eu",
    )


@case("pass")
def home_lambda_function_url_iam() -> None:
    aws.lambda_.FunctionUrl("url", function_name="records", authorization_type="AWS_IAM")


@case("pass")
def home_sns_to_eu_queue() -> None:
    aws.sns.TopicSubscription(
        "copy",
        topic=f"arn:aws:sns:eu-west-1:{HOME}:events",
        protocol="sqs",
        endpoint=f"arn:aws:sqs:eu-central-1:{HOME}:copy",
    )


@case("pass")
def home_secret_replica_eu() -> None:
    aws.secretsmanager.Secret("token", replicas=[{"region": "eu-central-1"}])


@case("pass")
def home_iam_role_and_policy() -> None:
    role = aws.iam.Role("worker", assume_role_policy=allow({"Service": "lambda.amazonaws.com"}, "sts:AssumeRole"))
    aws.iam.RolePolicy("read", role=role.id, policy=allow(None, "s3:GetObject", "arn:aws:s3:::*"))
    aws.iam.Role("ops", assume_role_policy=allow({"AWS": f"arn:aws:iam::{EU_OTHER}:root"}, "sts:AssumeRole"))


@case("pass")
def home_route53_zone_and_record() -> None:
    zone = aws.route53.Zone("zone", name="records.example")
    aws.route53.Record(
        "www",
        zone_id=zone.zone_id,
        name="www.records.example",
        type="CNAME",
        ttl=300,
        records=["web.us-east-1.elb.amazonaws.com"],
    )


@case("pass")
def home_rds_snapshot_copy_inbound() -> None:
    aws.rds.SnapshotCopy(
        "in",
        source_db_snapshot_identifier=f"arn:aws:rds:us-east-1:{HOME}:snapshot:seed",
        target_db_snapshot_identifier="seed-eu",
    )


@case("pass")
def home_ebs_snapshot_copy_inbound() -> None:
    aws.ebs.SnapshotCopy("in", source_snapshot_id="snap-1", source_region="us-east-1")


@case("pass")
def home_kms_key_policy_own() -> None:
    aws.kms.KeyPolicy("key", key_id="k", policy=allow({"AWS": f"arn:aws:iam::{HOME}:root"}, "kms:*"))


@case("pass")
def home_kms_grant_own_role() -> None:
    aws.kms.Grant("grant", key_id="k", grantee_principal=ROLE, operations=["Decrypt"])


@case("pass")
def home_glue_catalog_policy_own() -> None:
    aws.glue.ResourcePolicy("catalog", policy=allow({"AWS": f"arn:aws:iam::{HOME}:root"}, "glue:GetTable"))


@case("pass")
def home_lakeformation_grant_own_role() -> None:
    aws.lakeformation.Permissions(
        "grant", principal=ROLE, permissions=["SELECT"], table={"database_name": "records", "wildcard": True}
    )


@case("pass")
def home_observability_link_eu_sink() -> None:
    aws.oam.Link(
        "telemetry",
        label_template="$AccountName",
        resource_types=["AWS::Logs::LogGroup"],
        sink_identifier=f"arn:aws:oam:eu-central-1:{EU_OTHER}:sink/s",
    )
