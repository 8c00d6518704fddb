"""EnclaveCluster: the enclave's private EKS cluster.

Secure settings are fixed, not options: a private API endpoint only, secrets envelope-encrypted with the
enclave's Kubernetes key, all five control-plane log types to a KMS-encrypted, protected log group, API-mode
access entries that map the access ring's roles to Kubernetes groups, and a managed node group whose launch
template enforces IMDSv2 and encrypted EBS under the same key. The EBS CSI driver (through Pod Identity)
provisions the encrypted volumes of the workloads' StorageClass.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.cluster_support import (
    assume_role_policy,
    key_policy,
    node_endpoints,
    node_launch_template,
    role_names,
)
from components.guard import require_region_in_jurisdiction
from components.keys import enclave_key
from components.policy import iam_arn
from components.service_boundary import ROLE_MANAGED_POLICIES, managed_policy, service_boundary_policy
from residency.jurisdictions import Jurisdiction

# Control-plane log types EKS can emit; all of them go to the oversight ring.
CONTROL_PLANE_LOG_TYPES = ("api", "audit", "authenticator", "controllerManager", "scheduler")
# Kubernetes RBAC groups the access entries map roles to; EnclaveWorkloads binds them (same names).
OPERATORS_GROUP = "enclave-operators"
ENGINEERS_GROUP = "enclave-engineers"
_EKS_POLICY = "arn:aws:eks::aws:cluster-access-policy/"


@dataclass(frozen=True)
class EnclaveClusterArgs:
    name: str
    jurisdiction: Jurisdiction
    home_region: str
    vpc_id: pulumi.Input[str]
    vpc_cidr: str
    private_subnet_ids: Sequence[pulumi.Input[str]]
    # The network ring's interface-endpoint security group (HTTPS from the VPC); the node endpoints reuse it.
    endpoint_security_group_id: pulumi.Input[str]
    operator_role_arn: pulumi.Input[str]
    engineer_role_arn: pulumi.Input[str]
    auditor_role_arn: pulumi.Input[str]
    break_glass_role_arn: pulumi.Input[str]
    account_id: str
    # The role `pulumi up` runs as: administers the Kubernetes key and is cluster admin through an explicit,
    # visible access entry (the implicit creator-admin entry is switched off).
    deploy_role_arn: str
    provider: aws.Provider
    log_retention_days: int = 365
    kubernetes_version: str = "1.33"
    node_instance_types: tuple[str, ...] = ("m6i.large",)
    node_count: int = 2


def _ca_data(ca: object) -> str:
    # A typed output object in a real run; a plain mapping (or nothing) under the mock runtime.
    if isinstance(ca, dict):
        return str(ca.get("data") or "")
    return str(getattr(ca, "data", None) or "")


def _template_version(version: object) -> str:
    # The launch template's number; "$Latest" only when it is not known yet (EKS resolves it to a number).
    return "$Latest" if version is None else str(int(float(str(version))))


class EnclaveCluster(pulumi.ComponentResource):
    """A private, encrypted, logged EKS cluster in the enclave VPC's private subnets."""

    cluster: aws.eks.Cluster
    cluster_name: pulumi.Output[str]
    endpoint: pulumi.Output[str]
    certificate_authority: pulumi.Output[str]

    def __init__(self, name: str, args: EnclaveClusterArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("enclave:components:EnclaveCluster", name, None, opts)
        require_region_in_jurisdiction(args.home_region, args.jurisdiction, f"EnclaveCluster {name}", self)
        self._args = args
        self._name = name
        self._role_attachments: list[aws.iam.RolePolicyAttachment] = []
        child = pulumi.ResourceOptions(parent=self, provider=args.provider)
        stateful = pulumi.ResourceOptions.merge(child, pulumi.ResourceOptions(protect=True, retain_on_delete=True))
        roles = role_names(args.name)
        # The EKS roles' own boundary: exactly what their AWS managed policies need (components/service_boundary.py).
        self.boundary = service_boundary_policy(
            f"{name}-service-boundary",
            args.jurisdiction,
            args.account_id,
            {kind: f"arn:aws:iam::{args.account_id}:role/{role}" for kind, role in roles.items()},
            child,
        )
        self.cluster_role = self._role(f"{name}-cluster-role", roles["cluster"], "eks.amazonaws.com", "cluster")
        self.node_role = self._role(f"{name}-node-role", roles["node"], "ec2.amazonaws.com", "node")
        self.ebs_csi_role = self._role(f"{name}-ebs-csi-role", roles["ebs-csi"], "pods.eks.amazonaws.com", "ebs-csi")

        self.key = enclave_key(
            f"{name}-key",
            f"Enclave {args.jurisdiction.id}: Kubernetes secrets and volumes (home region {args.home_region})",
            # Roles exist first: a key policy may only name principals that exist.
            key_policy(
                args.name,
                args.home_region,
                args.account_id,
                args.deploy_role_arn,
                # ARNs from the role names: the key policy is then known at preview, and the pack reads it.
                iam_arn(args.account_id, "role", self.cluster_role),
                iam_arn(args.account_id, "role", self.ebs_csi_role),
            ),
            child,
        )
        aws.kms.Alias(
            f"{name}-key-alias",
            name=f"alias/{args.name}-kubernetes",
            target_key_id=self.key.key_id,
            opts=pulumi.ResourceOptions.merge(child, pulumi.ResourceOptions(protect=True)),
        )
        self.key_arn = self.key.arn

        # Pre-created so EKS writes into a group we encrypt, retain and protect (EKS would otherwise
        # create it unencrypted with infinite retention).
        self.log_group = aws.cloudwatch.LogGroup(
            f"{name}-control-plane-logs",
            name=f"/aws/eks/{args.name}/cluster",
            retention_in_days=args.log_retention_days,
            kms_key_id=self.key.arn,
            opts=stateful,
        )
        node_endpoints(
            name,
            args.home_region,
            args.account_id,
            args.vpc_id,
            args.private_subnet_ids,
            args.endpoint_security_group_id,
            child,
        )
        self.security_group = aws.ec2.SecurityGroup(
            f"{name}-api",
            # Who reaches the API: a guard (residency/guards.py).
            description="EKS API: HTTPS from inside the enclave VPC only",
            vpc_id=args.vpc_id,
            ingress=[
                aws.ec2.SecurityGroupIngressArgs(
                    description="Kubernetes API from the enclave VPC",
                    protocol="tcp",
                    from_port=443,
                    to_port=443,
                    cidr_blocks=[args.vpc_cidr],
                )
            ],
            egress=[
                aws.ec2.SecurityGroupEgressArgs(
                    description="Control plane to nodes inside the enclave VPC",
                    protocol="-1",
                    from_port=0,
                    to_port=0,
                    cidr_blocks=[args.vpc_cidr],
                )
            ],
            opts=pulumi.ResourceOptions.merge(child, pulumi.ResourceOptions(protect=True)),
        )
        self.cluster = aws.eks.Cluster(
            f"{name}-eks",
            name=args.name,
            role_arn=self.cluster_role.arn,
            version=args.kubernetes_version,
            vpc_config=aws.eks.ClusterVpcConfigArgs(
                subnet_ids=list(args.private_subnet_ids),
                security_group_ids=[self.security_group.id],
                endpoint_private_access=True,
                endpoint_public_access=False,
            ),
            encryption_config=aws.eks.ClusterEncryptionConfigArgs(
                resources=["secrets"],
                provider=aws.eks.ClusterEncryptionConfigProviderArgs(key_arn=self.key.arn),
            ),
            enabled_cluster_log_types=list(CONTROL_PLANE_LOG_TYPES),
            access_config=aws.eks.ClusterAccessConfigArgs(
                authentication_mode="API",
                bootstrap_cluster_creator_admin_permissions=False,
            ),
            deletion_protection=True,
            opts=pulumi.ResourceOptions.merge(
                child, pulumi.ResourceOptions(protect=True, depends_on=[self.log_group, *self._role_attachments])
            ),
        )
        self.cluster_name = self.cluster.name
        self.endpoint = self.cluster.endpoint
        self.certificate_authority = self.cluster.certificate_authority.apply(_ca_data)
        self._access_entries()
        self.node_group = self._node_group(name)
        self._addons(name)
        self.register_outputs(
            {"cluster_name": self.cluster_name, "endpoint": self.endpoint, "log_group": self.log_group.name}
        )

    def _role(self, name: str, role_name: str, service: str, kind: str) -> aws.iam.Role:
        """The role, under the service boundary, with the managed policies ROLE_MANAGED_POLICIES[kind] lists."""
        opts = pulumi.ResourceOptions(parent=self, provider=self._args.provider)
        role = aws.iam.Role(
            name,
            name=role_name,
            assume_role_policy=assume_role_policy(service),
            permissions_boundary=iam_arn(self._args.account_id, "policy", self.boundary),
            # A role's trust policy and boundary are guards (residency/guards.py): protected.
            opts=pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(protect=True)),
        )
        for policy in ROLE_MANAGED_POLICIES[kind]:
            self._role_attachments.append(
                aws.iam.RolePolicyAttachment(
                    f"{name}-{policy}",
                    role=role.name,
                    # The ARN from the dated copy the boundary is built from: one source for both.
                    policy_arn=managed_policy(policy)["arn"],
                    opts=opts,
                )
            )
        return role

    def _access_entries(self) -> None:
        """Map the access ring's roles to Kubernetes identities. Nothing else can authenticate."""
        a = self._args
        opts = pulumi.ResourceOptions(parent=self, provider=a.provider)
        # role label -> (principal, Kubernetes groups, EKS access policy at cluster scope or None)
        entries: list[tuple[str, pulumi.Input[str], list[str], str | None]] = [
            ("operators", a.operator_role_arn, [OPERATORS_GROUP], None),
            ("engineers", a.engineer_role_arn, [ENGINEERS_GROUP], None),
            # View excludes Secrets: the auditor sees configuration, never user data.
            ("auditor", a.auditor_role_arn, [], "AmazonEKSViewPolicy"),
            ("break-glass", a.break_glass_role_arn, [], "AmazonEKSClusterAdminPolicy"),
            # `pulumi up` applies the workloads as the deploy role.
            ("deployer", a.deploy_role_arn, [], "AmazonEKSClusterAdminPolicy"),
        ]
        self.access_entries: dict[str, aws.eks.AccessEntry] = {}
        for label, principal, groups, policy in entries:
            entry = aws.eks.AccessEntry(
                f"{self._name}-access-{label}",
                cluster_name=self.cluster.name,
                principal_arn=principal,
                kubernetes_groups=groups or None,
                type="STANDARD",
                opts=opts,
            )
            self.access_entries[label] = entry
            if policy is not None:
                aws.eks.AccessPolicyAssociation(
                    f"{self._name}-access-{label}-policy",
                    cluster_name=self.cluster.name,
                    principal_arn=entry.principal_arn,
                    policy_arn=_EKS_POLICY + policy,
                    access_scope=aws.eks.AccessPolicyAssociationAccessScopeArgs(type="cluster"),
                    opts=opts,
                )

    def _node_group(self, name: str) -> aws.eks.NodeGroup:
        a = self._args
        opts = pulumi.ResourceOptions(parent=self, provider=a.provider)
        # IMDSv2 and encrypted root volumes: a guard, protected.
        template = node_launch_template(
            f"{name}-nodes", self.key.arn, pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(protect=True))
        )
        return aws.eks.NodeGroup(
            f"{name}-nodes",
            cluster_name=self.cluster.name,
            node_role_arn=self.node_role.arn,
            subnet_ids=list(a.private_subnet_ids),
            ami_type="AL2023_x86_64_STANDARD",
            instance_types=list(a.node_instance_types),
            scaling_config=aws.eks.NodeGroupScalingConfigArgs(
                desired_size=a.node_count, min_size=a.node_count, max_size=a.node_count * 2
            ),
            launch_template=aws.eks.NodeGroupLaunchTemplateArgs(
                id=template.id, version=template.latest_version.apply(_template_version)
            ),
            opts=pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(depends_on=self._role_attachments)),
        )

    def _addons(self, name: str) -> None:
        """Pod Identity, and the EBS CSI driver that provisions the StorageClass's encrypted volumes."""
        opts = pulumi.ResourceOptions(parent=self, provider=self._args.provider, depends_on=[self.node_group])
        agent = aws.eks.Addon(
            f"{name}-pod-identity-agent", cluster_name=self.cluster.name, addon_name="eks-pod-identity-agent", opts=opts
        )
        aws.eks.Addon(
            f"{name}-ebs-csi-driver",
            cluster_name=self.cluster.name,
            addon_name="aws-ebs-csi-driver",
            pod_identity_associations=[
                aws.eks.AddonPodIdentityAssociationArgs(
                    role_arn=self.ebs_csi_role.arn, service_account="ebs-csi-controller-sa"
                )
            ],
            opts=pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(depends_on=[agent])),
        )
