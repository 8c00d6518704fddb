"""RegionalEnclave: one jurisdiction's enclave, every ring pinned to the home region through one provider.

The explicit AWS provider is the only way resources reach AWS: it names the region, refuses any account
but the enclave's (``allowedAccountIds``), keeps STS calls in the region and tags everything with the
jurisdiction and data classification. Every ring is a child and inherits it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.access import EnclaveAccess, EnclaveAccessArgs
from components.boundary import EnclaveBoundary, EnclaveBoundaryArgs
from components.continuous_audit import EnclaveContinuousAudit, EnclaveContinuousAuditArgs
from components.external_auditor import ExternalAuditorAccess, ExternalAuditorAccessArgs
from components.guard import require_region_in_jurisdiction
from components.keys import EnclaveKeys, EnclaveKeysArgs
from components.network import EnclaveNetwork, EnclaveNetworkArgs
from components.oversight import EnclaveOversight, EnclaveOversightArgs
from components.policy import bucket_arn, iam_arn
from components.principals import EnclavePrincipals
from components.storage import EnclaveStorage, EnclaveStorageArgs
from components.test_data import TestDataPipeline, TestDataPipelineArgs
from components.test_data_guard import TestDataGuard, TestDataGuardArgs
from residency.external_auditor import ExternalAuditor
from residency.jurisdictions import Jurisdiction
from residency.stack_config import DEFAULT_DEPLOY_ROLE_NAME, DEFAULT_RETENTION_DAYS

DATA_CLASSIFICATION = "personal-data"


@dataclass
class RegionalEnclaveArgs:
    jurisdiction: Jurisdiction
    region: str
    account_id: str
    vpc_cidr: str
    availability_zones: Sequence[str]
    audit_retention_days: int = DEFAULT_RETENTION_DAYS
    deploy_role_name: str = DEFAULT_DEPLOY_ROLE_NAME
    # The named people who may assume break-glass (IAM users or roles of the enclave account).
    break_glass_principals: Sequence[str] = ()
    # The Kubernetes layer (private EKS cluster and workload namespaces); see the marked place below.
    kubernetes: bool = False
    # The de-identification pipeline, its guard and the research workgroup: on by default, and the policy
    # pack blocks an enclave without them (residency/rules/test_data.py).
    test_data_pipeline: bool = True
    # The third party that may audit the enclave (enclave:externalAuditor); None: nobody outside.
    external_auditor: ExternalAuditor | None = None


class RegionalEnclave(pulumi.ComponentResource):
    provider: aws.Provider
    principals: EnclavePrincipals
    boundary: EnclaveBoundary
    keys: EnclaveKeys
    network: EnclaveNetwork
    storage: EnclaveStorage
    oversight: EnclaveOversight
    access: EnclaveAccess

    def __init__(self, name: str, args: RegionalEnclaveArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("enclave:components:RegionalEnclave", name, None, opts)
        require_region_in_jurisdiction(args.region, args.jurisdiction, f"RegionalEnclave {name}", self)
        jurisdiction, region = args.jurisdiction, args.region
        self.provider = aws.Provider(
            f"{name}-aws",
            region=region,
            sts_region=region,
            allowed_account_ids=[args.account_id],
            default_tags=aws.ProviderDefaultTagsArgs(
                tags={
                    "jurisdiction": jurisdiction.id,
                    "data-classification": DATA_CLASSIFICATION,
                    "managed-by": "pulumi-regional-enclaves",
                }
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        # Every ring gets the provider explicitly; their children inherit it through parent=self.
        ring = pulumi.ResourceOptions(parent=self, providers={"aws": self.provider})
        self.principals = EnclavePrincipals(
            args.account_id, jurisdiction.id, args.deploy_role_name, tuple(args.break_glass_principals)
        )

        self.boundary = EnclaveBoundary(
            f"{name}-boundary", EnclaveBoundaryArgs(jurisdiction, region, args.account_id), opts=ring
        )
        self.keys = EnclaveKeys(f"{name}-keys", EnclaveKeysArgs(jurisdiction, region, self.principals), opts=ring)
        self.network = EnclaveNetwork(
            f"{name}-network",
            EnclaveNetworkArgs(
                jurisdiction=jurisdiction,
                region=region,
                account_id=args.account_id,
                vpc_cidr=args.vpc_cidr,
                availability_zones=args.availability_zones,
                audit_key=self.keys.audit_key,
                permissions_boundary_arn=self.boundary.arn,
                image_layer_access=args.kubernetes,
            ),
            opts=ring,
        )
        self.storage = EnclaveStorage(
            f"{name}-storage",
            EnclaveStorageArgs(
                jurisdiction=jurisdiction,
                region=region,
                principals=self.principals,
                records_key=self.keys.records_key,
                testdata_key=self.keys.testdata_key,
                vpc_id=self.network.vpc.id,
            ),
            opts=ring,
        )

        self.oversight = EnclaveOversight(
            f"{name}-oversight",
            EnclaveOversightArgs(
                jurisdiction=jurisdiction,
                region=region,
                principals=self.principals,
                audit_key=self.keys.audit_key,
                retention_days=args.audit_retention_days,
                data_bucket_arns=[bucket_arn(self.storage.records_bucket), bucket_arn(self.storage.testdata_bucket)],
            ),
            opts=ring,
        )
        self.access = EnclaveAccess(
            f"{name}-access",
            EnclaveAccessArgs(
                jurisdiction=jurisdiction,
                region=region,
                principals=self.principals,
                permissions_boundary_arn=self.boundary.arn,
                records_bucket_arn=bucket_arn(self.storage.records_bucket),
                records_access_point_arn=self.storage.records_access_point_arn,
                testdata_bucket_arn=bucket_arn(self.storage.testdata_bucket),
                audit_bucket_arn=bucket_arn(self.oversight.audit_bucket),
                records_key_arn=self.keys.records_key.arn,
                testdata_key_arn=self.keys.testdata_key.arn,
                audit_key_arn=self.keys.audit_key.arn,
            ),
            opts=ring,
        )

        if args.test_data_pipeline:
            self._attach_test_data(name, args, ring)
        self._attach_continuous_oversight(name, args, ring)

        # ---- Kubernetes layer: attached here by the Kubernetes engineer (components/cluster.py, workloads.py).
        # Available: self.provider, self.network (vpc, subnets, endpoint_security_group), self.keys,
        # self.boundary.arn, self.principals. Pass `ring` as opts so the cluster inherits the provider.
        if args.kubernetes:
            self._attach_kubernetes(name, args, ring)
        # ---- end of Kubernetes layer.

        self.register_outputs(
            {
                "vpcId": self.network.vpc.id,
                "recordsBucketName": self.storage.records_bucket.bucket,
                "testdataBucketName": self.storage.testdata_bucket.bucket,
                "recordsKeyArn": self.keys.records_key.arn,
                "auditBucketName": self.oversight.audit_bucket.bucket,
                "trailArn": self.oversight.trail.arn,
            }
        )

    def _attach_test_data(self, name: str, args: RegionalEnclaveArgs, ring: pulumi.ResourceOptions) -> None:
        """Engineers' test data: made by the pipeline, guarded by Macie, queried through Athena."""
        self.test_data = TestDataPipeline(
            f"{name}-test-data",
            TestDataPipelineArgs(
                jurisdiction=args.jurisdiction,
                region=args.region,
                principals=self.principals,
                permissions_boundary_arn=self.boundary.arn,
                vpc_id=self.network.vpc.id,
                vpc_cidr=args.vpc_cidr,
                subnet_ids=[s.id for s in self.network.subnets],
                s3_prefix_list_id=self.network.endpoints["s3"].prefix_list_id,
                records_bucket=self.storage.records_bucket,
                records_access_point_arn=self.storage.records_access_point_arn,
                testdata_bucket=self.storage.testdata_bucket,
                audit_bucket=self.oversight.audit_bucket,
                records_key_arn=self.keys.records_key.arn,
                audit_key_arn=self.keys.audit_key.arn,
            ),
            opts=ring,
        )
        self.test_data_guard = TestDataGuard(
            f"{name}-test-data-guard",
            TestDataGuardArgs(
                jurisdiction=args.jurisdiction,
                region=args.region,
                account_id=args.account_id,
                testdata_bucket=self.storage.testdata_bucket,
                testdata_key_arn=self.keys.testdata_key.arn,
                engineer_role=self.access.roles["engineer"],
            ),
            opts=ring,
        )

    def _attach_continuous_oversight(self, name: str, args: RegionalEnclaveArgs, ring: pulumi.ResourceOptions) -> None:
        """AWS Config rules, the daily evidence schedule, Security Hub, and the external auditor's door."""
        user_buckets: list[pulumi.Input[str]] = [
            bucket_arn(self.storage.records_bucket),
            bucket_arn(self.storage.testdata_bucket),
        ]
        user_keys: list[pulumi.Input[str]] = [self.keys.records_key.arn, self.keys.testdata_key.arn]
        self.continuous_audit = EnclaveContinuousAudit(
            f"{name}-continuous-audit",
            EnclaveContinuousAuditArgs(
                jurisdiction=args.jurisdiction,
                region=args.region,
                principals=self.principals,
                permissions_boundary_arn=self.boundary.arn,
                audit_key_arn=self.keys.audit_key.arn,
                audit_bucket_name=self.oversight.audit_bucket.bucket,
                audit_bucket_arn=bucket_arn(self.oversight.audit_bucket),
                user_data_bucket_arns=user_buckets,
                user_data_key_arns=user_keys,
                retention_days=args.audit_retention_days,
            ),
            opts=ring,
        )
        self.external_auditor: ExternalAuditorAccess | None = None
        if args.external_auditor is not None:
            self.external_auditor = ExternalAuditorAccess(
                f"{name}-external-auditor",
                ExternalAuditorAccessArgs(
                    jurisdiction=args.jurisdiction,
                    region=args.region,
                    principals=self.principals,
                    auditor=args.external_auditor,
                    permissions_boundary_arn=self.boundary.arn,
                    evidence_bucket_arns=[
                        bucket_arn(self.oversight.audit_bucket),
                        bucket_arn(self.continuous_audit.history_bucket),
                    ],
                    evidence_key_arns=[self.keys.audit_key.arn, self.continuous_audit.history_key.arn],
                    user_data_bucket_arns=user_buckets,
                    user_data_key_arns=user_keys,
                    audit_key_arn=self.keys.audit_key.arn,
                ),
                opts=ring,
            )

    def _attach_kubernetes(self, name: str, args: RegionalEnclaveArgs, ring: pulumi.ResourceOptions) -> None:
        """The private EKS cluster and its isolated workload namespaces (components/cluster.py, workloads.py)."""
        from components.cluster import EnclaveCluster, EnclaveClusterArgs
        from components.workloads import EnclaveWorkloads, EnclaveWorkloadsArgs

        roles = self.access.roles
        self.cluster = EnclaveCluster(
            f"{name}-cluster",
            EnclaveClusterArgs(
                name=f"enclave-{args.jurisdiction.id}",
                jurisdiction=args.jurisdiction,
                home_region=args.region,
                vpc_id=self.network.vpc.id,
                vpc_cidr=args.vpc_cidr,
                private_subnet_ids=[s.id for s in self.network.subnets],
                endpoint_security_group_id=self.network.endpoint_security_group.id,
                # ARNs from the role names (known at preview: the access entries name them as principals).
                operator_role_arn=iam_arn(args.account_id, "role", roles["operator"]),
                engineer_role_arn=iam_arn(args.account_id, "role", roles["engineer"]),
                auditor_role_arn=iam_arn(args.account_id, "role", roles["auditor"]),
                break_glass_role_arn=iam_arn(args.account_id, "role", roles["break-glass"]),
                account_id=args.account_id,
                deploy_role_arn=self.principals.deploy_role_arn,
                provider=self.provider,
            ),
            opts=ring,
        )
        self.workloads = EnclaveWorkloads(
            f"{name}-workloads",
            EnclaveWorkloadsArgs(
                jurisdiction_id=args.jurisdiction.id,
                home_region=args.region,
                cluster_name=self.cluster.cluster_name,
                cluster_endpoint=self.cluster.endpoint,
                cluster_ca=self.cluster.certificate_authority,
                vpc_cidr=args.vpc_cidr,
                kms_key_arn=self.cluster.key_arn,
                zones=args.availability_zones,
            ),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[self.cluster]),
        )
