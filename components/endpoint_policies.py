"""VPC endpoint policies: the network half of the data perimeter.

Every endpoint admits only principals of the enclave's account (``aws:PrincipalAccount``); the endpoints whose
calls always name a resource (S3, DynamoDB, KMS, CloudWatch Logs, Secrets Manager) also admit only the enclave account's resources
(``aws:ResourceAccount``), so a stolen credential of another account, or a copy to another account's bucket,
cannot pass through the enclave's network. Endpoints whose calls reach AWS-owned resources or name none (STS,
EC2, ECR, EKS) are held to the principal condition only, each with its reason below.
"""

from __future__ import annotations

import json

# Service (endpoint suffix) -> why the resource condition cannot apply. Every other service gets both.
PRINCIPAL_ONLY: dict[str, str] = {
    "sts": "GetCallerIdentity names no resource; AssumeRole's resource is an enclave role, bounded by its trust policy",
    "ec2": "Describe calls name no resource; the VPC CNI's network-interface calls act in the enclave account only",
    "ecr.api": "EKS add-on images live in AWS-owned ECR accounts, which differ by region",
    "ecr.dkr": "EKS add-on images live in AWS-owned ECR accounts, which differ by region",
    "eks": "DescribeCluster from the kubelet; the cluster is the enclave's own",
    "eks-auth": "AssumeRoleForPodIdentity names the cluster's association; no data resource",
}
# ECR stores image layers in an AWS-owned bucket per region; nodes read layers through the S3 gateway endpoint.
ECR_LAYER_BUCKET = "arn:aws:s3:::prod-{region}-starport-layer-bucket/*"


def endpoint_policy(service: str, account_id: str, region: str, image_layer_access: bool = False) -> str:
    """The policy document of the ``service`` endpoint (``s3``, ``kms``, ``ecr.dkr``...) of an enclave VPC."""
    condition: dict[str, dict[str, str]] = {"StringEquals": {"aws:PrincipalAccount": account_id}}
    if service not in PRINCIPAL_ONLY:
        condition["StringEquals"]["aws:ResourceAccount"] = account_id
    statements = [
        {
            "Sid": "EnclavePrincipalsOnEnclaveResources" if service not in PRINCIPAL_ONLY else "EnclavePrincipals",
            "Effect": "Allow",
            "Principal": "*",
            "Action": "*",
            "Resource": "*",
            "Condition": condition,
        }
    ]
    if service == "s3" and image_layer_access:
        statements.append(
            {
                "Sid": "EcrImageLayers",
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": ECR_LAYER_BUCKET.format(region=region),
                "Condition": {"StringEquals": {"aws:PrincipalAccount": account_id}},
            }
        )
    return json.dumps({"Version": "2012-10-17", "Statement": statements})
