"""Realistic, deterministic AWS identifiers for mocked resources.

ARNs carry the resource's real region and account, and ids have AWS's shapes (``vpc-0123...``,
``subnet-...``), so references between resources stay meaningful and rules that read an ARN's region see
the truth. Everything derives from the URN, so two runs of the same program produce the same plan.
"""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

# EC2-style ids: (module, resource) -> prefix.
EC2_ID_PREFIX: dict[tuple[str, str], str] = {
    ("ec2", "vpc"): "vpc",
    ("ec2", "subnet"): "subnet",
    ("ec2", "securityGroup"): "sg",
    ("ec2", "defaultSecurityGroup"): "sg",
    ("ec2", "routeTable"): "rtb",
    ("ec2", "vpcEndpoint"): "vpce",
    ("ec2", "flowLog"): "fl",
    ("ec2", "internetGateway"): "igw",
    ("ec2", "egressOnlyInternetGateway"): "eigw",
    ("ec2", "natGateway"): "nat",
    ("ec2", "eip"): "eipalloc",
    ("ec2", "instance"): "i",
    ("ec2", "launchTemplate"): "lt",
    ("ec2", "networkAcl"): "acl",
    ("ec2", "defaultNetworkAcl"): "acl",
    ("ec2", "vpcPeeringConnection"): "pcx",
    ("ec2", "amiCopy"): "ami",
    ("ec2", "ami"): "ami",
    ("ec2", "routeTableAssociation"): "rtbassoc",
    ("ec2", "securityGroupRule"): "sgr",
    ("ec2", "networkInterface"): "eni",
    ("ec2transitgateway", "transitGateway"): "tgw",
    ("ec2transitgateway", "peeringAttachment"): "tgw-attach",
    ("ec2transitgateway", "vpcAttachment"): "tgw-attach",
    ("ebs", "volume"): "vol",
    ("ebs", "snapshot"): "snap",
    ("ebs", "snapshotCopy"): "snap",
    ("efs", "fileSystem"): "fs",
    ("vpc", "securityGroupIngressRule"): "sgr",
    ("vpc", "securityGroupEgressRule"): "sgr",
}

# Services whose ARNs have no region field.
GLOBAL_ARN_SERVICES = frozenset({"iam", "s3", "cloudfront", "organizations", "route53", "waf", "budgets"})

# (module, resource) -> ARN resource part; {name} is the physical name, {id} the id.
ARN_RESOURCE: dict[tuple[str, str], str] = {
    ("s3", "bucket"): "{name}",
    ("s3", "bucketV2"): "{name}",
    ("s3", "accessPoint"): "accesspoint/{name}",
    ("kms", "key"): "key/{id}",
    ("kms", "replicaKey"): "key/{id}",
    ("kms", "alias"): "{name}",
    ("iam", "role"): "role/{name}",
    ("iam", "policy"): "policy/{name}",
    ("iam", "user"): "user/{name}",
    ("iam", "group"): "group/{name}",
    ("iam", "instanceProfile"): "instance-profile/{name}",
    # IAM names an OIDC provider by its URL without the scheme (physical_name).
    ("iam", "openIdConnectProvider"): "oidc-provider/{name}",
    ("cloudwatch", "logGroup"): "log-group:{name}",
    ("cloudwatch", "eventRule"): "rule/{name}",
    ("cloudwatch", "metricAlarm"): "alarm:{name}",
    ("cloudtrail", "trail"): "trail/{name}",
    ("sns", "topic"): "{name}",
    ("sqs", "queue"): "{name}",
    ("dynamodb", "table"): "table/{name}",
    ("rds", "instance"): "db:{name}",
    ("rds", "cluster"): "cluster:{name}",
    ("rds", "globalCluster"): "global-cluster:{name}",
    ("secretsmanager", "secret"): "secret:{name}-AbCdEf",
    ("lambda", "function"): "function:{name}",
    # A layer version's ARN is the layer's ARN and its version number (the first version offline).
    ("lambda", "layerVersion"): "layer:{name}:1",
    ("eks", "cluster"): "cluster/{name}",
    ("eks", "nodeGroup"): "nodegroup/{name}",
    ("ecr", "repository"): "repository/{name}",
    ("efs", "fileSystem"): "file-system/{id}",
    ("backup", "vault"): "backup-vault:{name}",
    ("backup", "plan"): "backup-plan:{id}",
    ("organizations", "policy"): "policy/o-exampleorg1/service_control_policy/{id}",
    ("cloudfront", "distribution"): "distribution/{id}",
    ("ec2", "vpc"): "vpc/{id}",
    ("ec2", "subnet"): "subnet/{id}",
    ("ec2", "securityGroup"): "security-group/{id}",
    ("ec2", "vpcEndpoint"): "vpc-endpoint/{id}",
    ("ec2", "flowLog"): "vpc-flow-log/{id}",
    ("ec2", "internetGateway"): "internet-gateway/{id}",
    ("ec2", "launchTemplate"): "launch-template/{id}",
    ("ebs", "volume"): "volume/{id}",
}

# Service name in ARNs when it differs from the pulumi-aws module name.
ARN_SERVICE: dict[str, str] = {
    "cloudwatch": "logs",
    "efs": "elasticfilesystem",
    "ebs": "ec2",
    "ec2transitgateway": "ec2",
    "vpc": "ec2",
}
ARN_SERVICE_BY_RESOURCE: dict[tuple[str, str], str] = {
    ("cloudwatch", "eventRule"): "events",
    ("cloudwatch", "metricAlarm"): "cloudwatch",
}

# The input property that holds a resource's physical name, when it is not `name`.
NAME_PROPERTY: dict[tuple[str, str], str] = {
    ("s3", "bucket"): "bucket",
    ("s3", "bucketV2"): "bucket",
    ("rds", "instance"): "identifier",
    ("rds", "cluster"): "clusterIdentifier",
    ("rds", "globalCluster"): "globalClusterIdentifier",
    ("eks", "nodeGroup"): "nodeGroupName",
    ("lambda", "layerVersion"): "layerName",
    ("dynamodb", "table"): "name",
    ("iam", "openIdConnectProvider"): "url",
}


def digest(seed: str, length: int) -> str:
    return hashlib.sha256(seed.encode()).hexdigest()[:length]


def stable_uuid(seed: str) -> str:
    return str(uuid.UUID(hex=digest(seed, 32)))


def split_token(type_token: str) -> tuple[str, str, str]:
    """``aws:ec2/vpc:Vpc`` -> (``aws``, ``ec2``, ``vpc``)."""
    package, _, rest = type_token.partition(":")
    module_path, _, _ = rest.partition(":")
    module, _, resource = module_path.partition("/")
    return package, module, resource


def name_property(module: str, resource: str) -> str:
    return NAME_PROPERTY.get((module, resource), "name")


def physical_name(logical: str, urn: str, module: str, resource: str, inputs: dict[str, Any]) -> str:
    """The resource's name as AWS would know it: the explicit name input, else Pulumi-style autonaming."""
    prop = name_property(module, resource)
    explicit = inputs.get(prop)
    if isinstance(explicit, str) and explicit:
        return explicit.removeprefix("https://") if (module, resource) == ("iam", "openIdConnectProvider") else explicit
    prefix = inputs.get(f"{prop}Prefix")
    if isinstance(prefix, str) and prefix:
        return prefix + digest(urn, 8)
    return f"{logical}-{digest(urn, 7)}"


def aws_id(module: str, resource: str, name: str, urn: str) -> str:
    prefix = EC2_ID_PREFIX.get((module, resource))
    if prefix:
        return f"{prefix}-{digest(urn, 17)}"
    if (module, resource) in {("kms", "key"), ("kms", "replicaKey"), ("backup", "plan")}:
        return stable_uuid(urn)
    if (module, resource) == ("cloudfront", "distribution"):
        return "E" + digest(urn, 13).upper()
    if (module, resource) == ("organizations", "policy"):
        return "p-" + digest(urn, 8)
    return name


# S3 resources whose ARNs carry region and account, unlike buckets' (``arn:aws:s3:<region>:<account>:accesspoint/n``).
REGIONAL_S3_ARNS = frozenset({("s3", "accessPoint")})


def aws_arn(module: str, resource: str, *, name: str, id_: str, region: str, account: str) -> str:
    service = ARN_SERVICE_BY_RESOURCE.get((module, resource)) or ARN_SERVICE.get(module, module)
    template = ARN_RESOURCE.get((module, resource), f"{resource}/{{name}}")
    part = template.format(name=name, id=id_)
    regional_s3 = (module, resource) in REGIONAL_S3_ARNS
    arn_region = "" if service in GLOBAL_ARN_SERVICES and not regional_s3 else region
    arn_account = "" if service == "s3" and not regional_s3 else account
    if (module, resource) == ("rds", "globalCluster"):
        arn_region = ""
    return f"arn:aws:{service}:{arn_region}:{arn_account}:{part}"


# Sub-resources that configure another resource and carry no ARN of their own.
_NO_ARN_SUFFIXES = ("Attachment", "Association", "Configuration", "Config", "Version", "Rule", "Block", "Controls")


def has_arn(module: str, resource: str) -> bool:
    if (module, resource) in ARN_RESOURCE:
        return True
    if module == "s3" and resource.startswith("bucket"):
        return False
    return not (resource.endswith("Policy") or resource.endswith(_NO_ARN_SUFFIXES))
