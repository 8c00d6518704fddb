"""EnclaveCluster: a private, encrypted, logged EKS cluster, alone under mocks and inside the shipped stacks."""

from __future__ import annotations

import json

import pulumi
import pulumi_aws as aws
import pytest

from components.cluster import CONTROL_PLANE_LOG_TYPES, EnclaveCluster, EnclaveClusterArgs
from components.guard import PlacementError
from residency.jurisdictions import default_catalogue
from tests.components.enclave_runs import of_type, one, shipped_run, stack_config
from tests.components.kubernetes_harness import ACCOUNT, REGION, Registered, capture

KUBERNETES_STACKS = ("eu-dublin", "uk-london")
ROLE = f"arn:aws:iam::{ACCOUNT}:role/"


def cluster_args(region: str = REGION) -> EnclaveClusterArgs:
    return EnclaveClusterArgs(
        name="enclave-eu",
        jurisdiction=default_catalogue().get("eu"),
        home_region=region,
        vpc_id="vpc-0123",
        vpc_cidr="10.10.0.0/16",
        private_subnet_ids=["subnet-a", "subnet-b"],
        endpoint_security_group_id="sg-endpoints",
        operator_role_arn=ROLE + "enclave-eu-operator",
        engineer_role_arn=ROLE + "enclave-eu-engineer",
        auditor_role_arn=ROLE + "enclave-eu-auditor",
        break_glass_role_arn=ROLE + "enclave-eu-break-glass",
        account_id=ACCOUNT,
        deploy_role_arn=ROLE + "enclave-deploy",
        provider=aws.Provider("aws-home", region=region),
    )


@pytest.fixture(scope="module")
def registered() -> list[Registered]:
    return capture(lambda: EnclaveCluster("eks", cluster_args()))


def only(registered: list[Registered], token: str) -> Registered:
    found = [r for r in registered if r.type == token]
    assert len(found) == 1, token
    return found[0]


def test_cluster_is_private_encrypted_logged_and_protected(registered: list[Registered]) -> None:
    cluster = only(registered, "aws:eks/cluster:Cluster")
    vpc = cluster.inputs["vpcConfig"]
    assert vpc["endpointPrivateAccess"] is True and vpc["endpointPublicAccess"] is False
    assert vpc["subnetIds"] == ["subnet-a", "subnet-b"]
    key = only(registered, "aws:kms/key:Key")
    assert cluster.inputs["encryptionConfig"] == {"resources": ["secrets"], "provider": {"keyArn": key.outputs["arn"]}}
    assert cluster.inputs["enabledClusterLogTypes"] == list(CONTROL_PLANE_LOG_TYPES)
    assert cluster.inputs["accessConfig"] == {
        "authenticationMode": "API",
        "bootstrapClusterCreatorAdminPermissions": False,
    }
    assert cluster.protect and cluster.inputs["deletionProtection"] is True


def test_kubernetes_key_rotates_stays_in_region_and_is_protected(registered: list[Registered]) -> None:
    key = only(registered, "aws:kms/key:Key")
    assert key.inputs["enableKeyRotation"] is True and key.inputs["multiRegion"] is False
    assert key.protect and key.retain_on_delete
    statements = {s["Sid"]: s for s in json.loads(key.inputs["policy"])["Statement"]}
    assert {"ClusterRoleEncryptsSecrets", "VolumesEncryptThroughEc2", "ControlPlaneLogsInHomeRegion"} <= set(statements)
    # Principals are named directly (no delegation to the account that would need IAM grants too).
    assert statements["ClusterRoleEncryptsSecrets"]["Principal"] == {"AWS": ROLE + "eks-cluster-role"}
    volume_users = statements["VolumesEncryptThroughEc2"]["Principal"]["AWS"]
    assert volume_users[1] == ROLE + "eks-ebs-csi-role" and volume_users[0].endswith("/AWSServiceRoleForAutoScaling")
    assert (
        statements["VolumesEncryptThroughEc2"]["Condition"]["StringEquals"]["kms:ViaService"]
        == "ec2.eu-west-1.amazonaws.com"
    )


def test_control_plane_logs_go_to_an_encrypted_protected_group(registered: list[Registered]) -> None:
    group = only(registered, "aws:cloudwatch/logGroup:LogGroup")
    assert group.inputs["name"] == "/aws/eks/enclave-eu/cluster"
    assert group.inputs["kmsKeyId"] == only(registered, "aws:kms/key:Key").outputs["arn"]
    assert group.inputs["retentionInDays"] == 365 and group.protect


def test_api_security_group_admits_https_from_the_vpc_only(registered: list[Registered]) -> None:
    group = only(registered, "aws:ec2/securityGroup:SecurityGroup")
    assert [(r["fromPort"], r["toPort"], r["cidrBlocks"]) for r in group.inputs["ingress"]] == [
        (443, 443, ["10.10.0.0/16"])
    ]


def test_node_group_uses_imdsv2_and_encrypted_volumes(registered: list[Registered]) -> None:
    nodes = only(registered, "aws:eks/nodeGroup:NodeGroup")
    template = only(registered, "aws:ec2/launchTemplate:LaunchTemplate")
    assert nodes.inputs["subnetIds"] == ["subnet-a", "subnet-b"]
    assert nodes.inputs["launchTemplate"] == {"id": "lt-0123456789abcdef0", "version": "1"}
    assert template.inputs["metadataOptions"]["httpTokens"] == "required"
    assert template.inputs["metadataOptions"]["httpPutResponseHopLimit"] == 1
    ebs = template.inputs["blockDeviceMappings"][0]["ebs"]
    assert ebs["encrypted"] == "true" and ebs["kmsKeyId"] == only(registered, "aws:kms/key:Key").outputs["arn"]


def test_every_cluster_role_has_the_service_boundary(registered: list[Registered]) -> None:
    roles = [r for r in registered if r.type == "aws:iam/role:Role"]
    assert {r.inputs["name"] for r in roles} == {"enclave-eu-eks-cluster", "enclave-eu-eks-node", "enclave-eu-ebs-csi"}
    boundary = only(registered, "aws:iam/policy:Policy")
    assert boundary.inputs["name"] == "enclave-eu-service-boundary" and boundary.protect
    assert all(r.inputs["permissionsBoundary"] == boundary.outputs["arn"] for r in roles)


def test_access_entries_map_the_access_ring_to_kubernetes(registered: list[Registered]) -> None:
    entries = {
        r.inputs["principalArn"]: r.inputs.get("kubernetesGroups") for r in registered if r.type.endswith("AccessEntry")
    }
    assert entries == {
        ROLE + "enclave-eu-operator": ["enclave-operators"],
        ROLE + "enclave-eu-engineer": ["enclave-engineers"],
        ROLE + "enclave-eu-auditor": None,
        ROLE + "enclave-eu-break-glass": None,
        ROLE + "enclave-deploy": None,
    }
    policies = {
        r.inputs["principalArn"]: r.inputs["policyArn"].rsplit("/", 1)[-1]
        for r in registered
        if r.type.endswith("AccessPolicyAssociation")
    }
    assert policies == {
        ROLE + "enclave-eu-auditor": "AmazonEKSViewPolicy",
        ROLE + "enclave-eu-break-glass": "AmazonEKSClusterAdminPolicy",
        ROLE + "enclave-deploy": "AmazonEKSClusterAdminPolicy",
    }


def test_private_nodes_reach_ecr_and_eks_through_endpoints(registered: list[Registered]) -> None:
    services = {r.inputs["serviceName"] for r in registered if r.type == "aws:ec2/vpcEndpoint:VpcEndpoint"}
    assert services == {f"com.amazonaws.{REGION}.{s}" for s in ("ec2", "ecr.api", "ecr.dkr", "eks", "eks-auth")}


def test_the_ebs_csi_driver_runs_with_its_own_role_through_pod_identity(registered: list[Registered]) -> None:
    addons = {r.inputs["addonName"]: r.inputs for r in registered if r.type == "aws:eks/addon:Addon"}
    assert set(addons) == {"eks-pod-identity-agent", "aws-ebs-csi-driver"}
    (association,) = addons["aws-ebs-csi-driver"]["podIdentityAssociations"]
    assert association == {"roleArn": ROLE + "eks-ebs-csi-role", "serviceAccount": "ebs-csi-controller-sa"}


def test_a_region_outside_the_jurisdiction_is_refused() -> None:
    with pytest.raises(PlacementError, match=r"region 'us-east-1' is outside European Union"):
        capture(lambda: EnclaveCluster("eks", cluster_args(region="us-east-1")))
    assert issubclass(PlacementError, pulumi.RunError)


@pytest.mark.parametrize("stack", KUBERNETES_STACKS)
def test_shipped_stacks_plan_a_private_encrypted_logged_cluster(stack: str) -> None:
    assert stack_config(stack)["enclave:kubernetes"] == "true"
    run = shipped_run(stack)
    assert run.error is None
    cluster = one(run, "aws:eks/cluster:Cluster")
    region = stack_config(stack)["aws:region"]
    assert cluster.region == region and cluster.protect
    assert cluster.inputs["vpcConfig"]["endpointPublicAccess"] is False
    assert cluster.inputs["encryptionConfig"]["provider"]["keyArn"].startswith(f"arn:aws:kms:{region}:")
    assert len(cluster.inputs["enabledClusterLogTypes"]) == 5
    assert len(of_type(run, "aws:eks/nodeGroup:NodeGroup")) == 1


def test_stacks_without_kubernetes_plan_no_cluster() -> None:
    run = shipped_run("us-virginia")
    assert stack_config("us-virginia").get("enclave:kubernetes", "false") == "false"
    assert not [
        r for r in run.resources if r.type.startswith(("aws:eks/", "kubernetes:", "pulumi:providers:kubernetes"))
    ]
