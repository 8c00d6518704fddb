"""What the enclave's EKS cluster needs around it: its own KMS key, IAM roles and private endpoints.

The ring keys only serve S3, so the cluster gets a Kubernetes key of its own, held in the home region
with the same guarantees (rotation, single-Region, 30-day deletion window, protected). Its policy names
exactly the principals that must use it: the cluster role (secrets envelope encryption), the Auto Scaling
service-linked role and the EBS CSI driver role (encrypted node and persistent volumes, through EC2 only),
and CloudWatch Logs for the control-plane log group. Each principal is named directly: a statement that
delegated to the account would also need an IAM grant, which the service-linked role's managed policy lacks.
Role names are fixed (``role_names``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import pulumi
import pulumi_aws as aws

from components.endpoint_policies import endpoint_policy
from components.keys import deploy_role_administers_key
from components.policy import Statement, document

# Interface endpoints private nodes need beyond the network ring's (kms, sts, logs): EC2 for the VPC CNI,
# ECR to pull images, EKS and EKS Auth for the kubelet and Pod Identity.
NODE_INTERFACE_SERVICES = ("ec2", "ecr.api", "ecr.dkr", "eks", "eks-auth")
# Listed one by one: no wildcard on data actions (a wildcard would also grant future data actions).
DATA_KEY_ACTIONS = [
    "kms:Encrypt",
    "kms:Decrypt",
    "kms:ReEncryptFrom",
    "kms:ReEncryptTo",
    "kms:GenerateDataKey",
    "kms:GenerateDataKeyWithoutPlaintext",
    "kms:DescribeKey",
]


def role_names(cluster_name: str) -> dict[str, str]:
    """Fixed IAM role names of the cluster, its nodes and the EBS CSI driver."""
    return {
        "cluster": f"{cluster_name}-eks-cluster",
        "node": f"{cluster_name}-eks-node",
        "ebs-csi": f"{cluster_name}-ebs-csi",
    }


def assume_role_policy(service: str) -> str:
    # sts:TagSession: EKS and Pod Identity pass session tags.
    statement = {"Effect": "Allow", "Principal": {"Service": service}, "Action": ["sts:AssumeRole", "sts:TagSession"]}
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def key_policy(
    cluster_name: str,
    region: str,
    account_id: str,
    deploy_role_arn: str,
    cluster_role_arn: pulumi.Input[str],
    ebs_csi_role_arn: pulumi.Input[str],
) -> pulumi.Output[str]:
    """The Kubernetes key's policy: administered by the deploy role, used only by the cluster's principals.

    The Auto Scaling service-linked role launches the nodes' encrypted volumes; it must exist before the key
    (any account that has used EC2 Auto Scaling has it; otherwise
    `aws iam create-service-linked-role --aws-service-name autoscaling.amazonaws.com`).
    """
    autoscaling = (
        f"arn:aws:iam::{account_id}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling"
    )
    volume_users: list[pulumi.Input[str]] = [autoscaling, ebs_csi_role_arn]
    via_ec2 = {"kms:ViaService": f"ec2.{region}.amazonaws.com", "kms:CallerAccount": account_id}
    statements: list[Statement] = [
        deploy_role_administers_key(deploy_role_arn),
        {
            "Sid": "ClusterRoleEncryptsSecrets",
            "Effect": "Allow",
            "Principal": {"AWS": cluster_role_arn},
            "Action": [*DATA_KEY_ACTIONS, "kms:CreateGrant"],
            "Resource": "*",
        },
        {
            "Sid": "VolumesEncryptThroughEc2",
            "Effect": "Allow",
            "Principal": {"AWS": volume_users},
            "Action": DATA_KEY_ACTIONS,
            "Resource": "*",
            "Condition": {"StringEquals": via_ec2},
        },
        {
            "Sid": "VolumesGrantToEc2",
            "Effect": "Allow",
            "Principal": {"AWS": volume_users},
            "Action": "kms:CreateGrant",
            "Resource": "*",
            "Condition": {
                "StringEquals": via_ec2,
                "Bool": {"kms:GrantIsForAWSResource": "true"},
            },
        },
        {
            "Sid": "ControlPlaneLogsInHomeRegion",
            "Effect": "Allow",
            "Principal": {"Service": f"logs.{region}.amazonaws.com"},
            "Action": DATA_KEY_ACTIONS,
            "Resource": "*",
            "Condition": {
                "ArnLike": {
                    "kms:EncryptionContext:aws:logs:arn": f"arn:aws:logs:{region}:{account_id}:log-group:/aws/eks/{cluster_name}/*"
                }
            },
        },
    ]
    return document(*statements)


def node_launch_template(name: str, key_arn: pulumi.Input[str], opts: pulumi.ResourceOptions) -> aws.ec2.LaunchTemplate:
    """Nodes: IMDSv2 only, and an encrypted gp3 root volume under the Kubernetes key."""
    return aws.ec2.LaunchTemplate(
        name,
        description="Enclave EKS nodes: IMDSv2 only, encrypted root volume under the enclave key",
        metadata_options=aws.ec2.LaunchTemplateMetadataOptionsArgs(
            http_endpoint="enabled",
            http_tokens="required",
            # Hop limit 1: pods cannot reach the node's instance credentials.
            http_put_response_hop_limit=1,
        ),
        block_device_mappings=[
            aws.ec2.LaunchTemplateBlockDeviceMappingArgs(
                device_name="/dev/xvda",
                ebs=aws.ec2.LaunchTemplateBlockDeviceMappingEbsArgs(
                    encrypted="true",
                    kms_key_id=key_arn,
                    volume_size=50,
                    volume_type="gp3",
                    delete_on_termination="true",
                ),
            )
        ],
        opts=opts,
    )


def node_endpoints(
    name: str,
    region: str,
    account_id: str,
    vpc_id: pulumi.Input[str],
    subnet_ids: Sequence[pulumi.Input[str]],
    security_group_id: pulumi.Input[str],
    opts: pulumi.ResourceOptions,
) -> list[aws.ec2.VpcEndpoint]:
    """Private nodes have no route to the internet: they reach EC2, ECR and EKS through endpoints."""
    return [
        aws.ec2.VpcEndpoint(
            f"{name}-{service.replace('.', '-')}-endpoint",
            vpc_id=vpc_id,
            service_name=f"com.amazonaws.{region}.{service}",
            vpc_endpoint_type="Interface",
            private_dns_enabled=True,
            subnet_ids=list(subnet_ids),
            security_group_ids=[security_group_id],
            policy=endpoint_policy(service, account_id, region),
            # Part of the perimeter: protected like the network ring's endpoints.
            opts=pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(protect=True)),
        )
        for service in NODE_INTERFACE_SERVICES
    ]


__all__ = [
    "NODE_INTERFACE_SERVICES",
    "assume_role_policy",
    "key_policy",
    "node_endpoints",
    "node_launch_template",
    "role_names",
]
