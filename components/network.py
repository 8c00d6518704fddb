"""Ring 2 (access control): an isolated VPC. Nothing reaches it from the internet and it reaches nothing there.

Private subnets only, across at least two availability zones of the home region; no internet gateway,
no NAT. AWS services are reached through gateway endpoints (S3, DynamoDB) and interface endpoints (KMS,
STS, CloudWatch Logs, Secrets Manager) whose security group admits HTTPS from the VPC only, and whose endpoint
policies admit only the enclave account's principals acting on the enclave account's resources
(components/endpoint_policies.py). The default security group
has no rules. Flow logs go to a CloudWatch log group encrypted under the enclave's audit key.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.endpoint_policies import endpoint_policy
from components.guard import guarded, require_region_in_jurisdiction, require_zones_in_region
from components.policy import document
from components.service_roles import log_group, service_role
from residency.jurisdictions import Jurisdiction

GATEWAY_SERVICES = ("s3", "dynamodb")
# secretsmanager: the de-identification pipeline reads and rotates its pseudonymisation key.
INTERFACE_SERVICES = ("kms", "sts", "logs", "secretsmanager")
FLOW_LOG_RETENTION_DAYS = 365


@dataclass
class EnclaveNetworkArgs:
    jurisdiction: Jurisdiction
    region: str
    account_id: str
    vpc_cidr: str
    # AZ names of the home region, given rather than looked up so no account-specific invoke is needed.
    availability_zones: Sequence[str]
    audit_key: aws.kms.Key
    permissions_boundary_arn: pulumi.Input[str]
    # Nodes pull container images: the S3 endpoint also admits reads of ECR's image-layer bucket (AWS-owned).
    image_layer_access: bool = False


def subnet_cidrs(vpc_cidr: str, count: int) -> list[str]:
    """``count`` equal, non-overlapping subnets of ``vpc_cidr`` (each a quarter of it, so up to 4 AZs)."""
    subnets = list(ipaddress.IPv4Network(vpc_cidr).subnets(prefixlen_diff=2))
    if count > len(subnets):
        raise ValueError(f"{vpc_cidr} holds at most {len(subnets)} enclave subnets, asked for {count}")
    return [str(s) for s in subnets[:count]]


class EnclaveNetwork(pulumi.ComponentResource):
    vpc: aws.ec2.Vpc
    endpoints: dict[str, aws.ec2.VpcEndpoint]
    subnets: list[aws.ec2.Subnet]
    endpoint_security_group: aws.ec2.SecurityGroup
    flow_log_group: aws.cloudwatch.LogGroup

    def __init__(self, name: str, args: EnclaveNetworkArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("enclave:components:EnclaveNetwork", name, None, opts)
        component = f"EnclaveNetwork {name}"
        require_region_in_jurisdiction(args.region, args.jurisdiction, component, self)
        require_zones_in_region(args.availability_zones, args.region, component, self)
        child = pulumi.ResourceOptions(parent=self)
        # The perimeter: the default group's emptiness, the endpoint group and the endpoints with their policies.
        guard = guarded(self)
        region = args.region

        self.vpc = aws.ec2.Vpc(
            f"{name}-vpc", cidr_block=args.vpc_cidr, enable_dns_support=True, enable_dns_hostnames=True, opts=child
        )
        # Strip the default security group of every rule so nothing that lands in it can talk.
        aws.ec2.DefaultSecurityGroup(f"{name}-default-sg", vpc_id=self.vpc.id, opts=guard)

        route_table = aws.ec2.RouteTable(f"{name}-private-rt", vpc_id=self.vpc.id, opts=child)
        self.subnets = []
        for zone, cidr in zip(
            args.availability_zones, subnet_cidrs(args.vpc_cidr, len(args.availability_zones)), strict=True
        ):
            subnet = aws.ec2.Subnet(
                f"{name}-private-{zone}",
                vpc_id=self.vpc.id,
                cidr_block=cidr,
                availability_zone=zone,
                map_public_ip_on_launch=False,
                opts=child,
            )
            aws.ec2.RouteTableAssociation(
                f"{name}-private-{zone}-rt", subnet_id=subnet.id, route_table_id=route_table.id, opts=child
            )
            self.subnets.append(subnet)

        self.endpoints: dict[str, aws.ec2.VpcEndpoint] = {}
        for service in GATEWAY_SERVICES:
            self.endpoints[service] = aws.ec2.VpcEndpoint(
                f"{name}-{service}-endpoint",
                vpc_id=self.vpc.id,
                service_name=f"com.amazonaws.{region}.{service}",
                vpc_endpoint_type="Gateway",
                route_table_ids=[route_table.id],
                policy=endpoint_policy(service, args.account_id, region, args.image_layer_access),
                opts=guard,
            )
        # HTTPS from inside the VPC only; no egress rules (security groups are stateful, replies still flow).
        self.endpoint_security_group = aws.ec2.SecurityGroup(
            f"{name}-endpoints-sg",
            vpc_id=self.vpc.id,
            description="Interface endpoints: HTTPS from the enclave VPC only",
            ingress=[
                aws.ec2.SecurityGroupIngressArgs(
                    protocol="tcp",
                    from_port=443,
                    to_port=443,
                    cidr_blocks=[args.vpc_cidr],
                    description="HTTPS from VPC",
                )
            ],
            opts=guard,
        )
        for service in INTERFACE_SERVICES:
            self.endpoints[service] = aws.ec2.VpcEndpoint(
                f"{name}-{service}-endpoint",
                vpc_id=self.vpc.id,
                service_name=f"com.amazonaws.{region}.{service}",
                vpc_endpoint_type="Interface",
                private_dns_enabled=True,
                subnet_ids=[s.id for s in self.subnets],
                security_group_ids=[self.endpoint_security_group.id],
                policy=endpoint_policy(service, args.account_id, region),
                opts=guard,
            )
        self._flow_logs(name, args)
        self.register_outputs(
            {
                "vpcId": self.vpc.id,
                "subnetIds": [s.id for s in self.subnets],
                "flowLogGroupName": self.flow_log_group.name,
            }
        )

    def _flow_logs(self, name: str, args: EnclaveNetworkArgs) -> None:
        # The flow log and the role that delivers it are guards: deleting either stops the record of traffic.
        child = guarded(self)
        self.flow_log_group = log_group(
            self, f"{name}-flow-logs", key_arn=args.audit_key.arn, retention_days=FLOW_LOG_RETENTION_DAYS
        )
        role = service_role(
            self,
            f"{name}-flow-logs-role",
            description="VPC flow logs delivery into the enclave's encrypted log group",
            service="vpc-flow-logs.amazonaws.com",
            account_id=args.account_id,
            permissions_boundary_arn=args.permissions_boundary_arn,
        )
        aws.iam.RolePolicy(
            f"{name}-flow-logs-policy",
            role=role.id,
            policy=document(
                {
                    "Effect": "Allow",
                    "Action": ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                    "Resource": [self.flow_log_group.arn, pulumi.Output.concat(self.flow_log_group.arn, ":*")],
                }
            ),
            opts=child,
        )
        aws.ec2.FlowLog(
            f"{name}-flow-log",
            vpc_id=self.vpc.id,
            traffic_type="ALL",
            log_destination_type="cloud-watch-logs",
            log_destination=self.flow_log_group.arn,
            iam_role_arn=role.arn,
            opts=guarded(self, retain=True),
        )
