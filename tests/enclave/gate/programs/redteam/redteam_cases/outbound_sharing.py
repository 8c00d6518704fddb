"""Paths out of the EU that issue 9 does not name, by sharing, granting, peering or copying to another
account or region: each must be blocked (FAIL or UNKNOWN)."""

import json

import pulumi_aws as aws

from redteam_cases.registry import FOREIGN, HOME, allow, case


@case("block")
def backup_vault_policy_foreign() -> None:
    aws.backup.VaultPolicy(
        "copy-in",
        backup_vault_name="vault",
        policy=allow({"AWS": f"arn:aws:iam::{FOREIGN}:root"}, "backup:CopyIntoBackupVault"),
    )


@case("block")
def ecr_replication_us() -> None:
    aws.ecr.ReplicationConfiguration(
        "images",
        replication_configuration={"rules": [{"destinations": [{"region": "us-east-1", "registry_id": HOME}]}]},
    )


@case("block")
def ecr_registry_policy_foreign() -> None:
    aws.ecr.RegistryPolicy("registry", policy=allow({"AWS": f"arn:aws:iam::{FOREIGN}:root"}, "ecr:ReplicateImage"))


@case("block")
def ram_share_foreign_account() -> None:
    share = aws.ram.ResourceShare("share", name="subnets", allow_external_principals=True)
    aws.ram.PrincipalAssociation("partner", principal=FOREIGN, resource_share_arn=share.arn)


@case("block")
def vpc_peering_us_region() -> None:
    aws.ec2.VpcPeeringConnection("peer", vpc_id="vpc-1", peer_vpc_id="vpc-2", peer_region="us-east-1")


@case("block")
def vpc_peering_foreign_owner() -> None:
    aws.ec2.VpcPeeringConnection("peer", vpc_id="vpc-1", peer_vpc_id="vpc-2", peer_owner_id=FOREIGN)


@case("block")
def tgw_peering_us() -> None:
    aws.ec2transitgateway.PeeringAttachment(
        "tgw",
        transit_gateway_id="tgw-1",
        peer_transit_gateway_id="tgw-2",
        peer_region="us-east-1",
        peer_account_id=HOME,
    )


@case("block")
def glue_catalog_policy_foreign() -> None:
    aws.glue.ResourcePolicy("catalog", policy=allow({"AWS": f"arn:aws:iam::{FOREIGN}:root"}, "glue:GetTable"))


@case("block")
def lambda_permission_foreign() -> None:
    aws.lambda_.Permission("invoke", action="lambda:InvokeFunction", function="records", principal=FOREIGN)


@case("block")
def lambda_function_url_public() -> None:
    aws.lambda_.FunctionUrl("url", function_name="records", authorization_type="NONE")
    aws.lambda_.Permission(
        "anyone", action="lambda:InvokeFunctionUrl", function="records", principal="*", function_url_auth_type="NONE"
    )


@case("block")
def tgw_peering_foreign_account_eu() -> None:
    aws.ec2transitgateway.PeeringAttachment(
        "tgw",
        transit_gateway_id="tgw-1",
        peer_transit_gateway_id="tgw-2",
        peer_region="eu-central-1",
        peer_account_id=FOREIGN,
    )


@case("block")
def backup_copy_foreign_account_eu() -> None:
    aws.backup.Plan(
        "plan",
        name="plan",
        rules=[
            {
                "rule_name": "daily",
                "target_vault_name": "vault",
                "schedule": "cron(0 3 * * ? *)",
                "copy_actions": [{"destination_vault_arn": f"arn:aws:backup:eu-central-1:{FOREIGN}:backup-vault:copy"}],
            }
        ],
    )


@case("block")
def ecr_replication_foreign_registry_eu() -> None:
    aws.ecr.ReplicationConfiguration(
        "images",
        replication_configuration={"rules": [{"destinations": [{"region": "eu-central-1", "registry_id": FOREIGN}]}]},
    )


@case("block")
def vpn_to_public_customer_gateway() -> None:
    aws.ec2.CustomerGateway("partner", bgp_asn="65000", ip_address="198.51.100.7", type="ipsec.1")


@case("block")
def global_accelerator_foreign_attachment() -> None:
    aws.globalaccelerator.CrossAccountAttachment(
        "front",
        name="front",
        principals=[FOREIGN],
        resources=[{"endpoint_id": f"arn:aws:elasticloadbalancing:eu-west-1:{HOME}:loadbalancer/app/web/1"}],
    )


@case("block")
def resolver_forwarding_public_ip() -> None:
    aws.route53.ResolverRule(
        "fwd",
        domain_name="corp.example",
        rule_type="FORWARD",
        resolver_endpoint_id="rslvr-out-1",
        target_ips=[{"ip": "203.0.113.10"}],
    )


@case("block")
def redshift_datashare_foreign() -> None:
    aws.redshift.DataShareAuthorization(
        "share", consumer_identifier=FOREIGN, data_share_arn=f"arn:aws:redshift:eu-west-1:{HOME}:datashare:ns/records"
    )


@case("block")
def lakeformation_grant_foreign() -> None:
    aws.lakeformation.Permissions(
        "grant", principal=FOREIGN, permissions=["SELECT"], table={"database_name": "records", "wildcard": True}
    )


@case("block")
def access_point_policy_foreign() -> None:
    aws.s3control.AccessPointPolicy(
        "ap",
        access_point_arn=f"arn:aws:s3:eu-west-1:{HOME}:accesspoint/records",
        policy=allow(
            {"AWS": f"arn:aws:iam::{FOREIGN}:root"},
            "s3:GetObject",
            f"arn:aws:s3:eu-west-1:{HOME}:accesspoint/records/object/*",
        ),
    )


@case("block")
def ssm_document_shared_foreign() -> None:
    aws.ssm.Document(
        "runbook",
        document_type="Command",
        content=json.dumps({"schemaVersion": "2.2", "mainSteps": []}),
        permissions={"type": "Share", "account_ids": FOREIGN},
    )


@case("block")
def kms_key_policy_foreign() -> None:
    aws.kms.KeyPolicy("key", key_id="k", policy=allow({"AWS": f"arn:aws:iam::{FOREIGN}:root"}, "kms:Decrypt"))


@case("block")
def kms_grant_foreign() -> None:
    aws.kms.Grant("grant", key_id="k", grantee_principal=f"arn:aws:iam::{FOREIGN}:role/reader", operations=["Decrypt"])


@case("block")
def opensearch_domain_policy_public() -> None:
    aws.opensearch.DomainPolicy(
        "search",
        domain_name="records",
        access_policies=allow("*", "es:ESHttpGet", f"arn:aws:es:eu-west-1:{HOME}:domain/records/*"),
    )


@case("block")
def bucket_acl_public_read() -> None:
    aws.s3.BucketAcl("acl", bucket="records", acl="public-read")


@case("block")
def efs_policy_foreign() -> None:
    aws.efs.FileSystemPolicy(
        "fs",
        file_system_id="fs-1",
        policy=allow({"AWS": f"arn:aws:iam::{FOREIGN}:root"}, "elasticfilesystem:ClientMount"),
    )


@case("block")
def iam_role_trusts_foreign_account() -> None:
    aws.iam.Role("partner-reader", assume_role_policy=allow({"AWS": f"arn:aws:iam::{FOREIGN}:root"}, "sts:AssumeRole"))


@case("block")
def rds_cluster_snapshot_copy_us() -> None:
    aws.rds.ClusterSnapshotCopy(
        "copy",
        source_db_cluster_snapshot_identifier=f"arn:aws:rds:eu-west-1:{HOME}:cluster-snapshot:s",
        target_db_cluster_snapshot_identifier="s-copy",
        destination_region="us-east-1",
    )


@case("block")
def sagemaker_model_group_policy_foreign() -> None:
    aws.sagemaker.ModelPackageGroupPolicy(
        "models",
        model_package_group_name="models",
        resource_policy=allow({"AWS": f"arn:aws:iam::{FOREIGN}:root"}, "sagemaker:DescribeModelPackage"),
    )
