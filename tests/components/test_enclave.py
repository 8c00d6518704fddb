"""Every shipped enclave stack, run offline under Pulumi's mock runtime, is a complete, resident enclave."""

from __future__ import annotations

import ipaddress

import pytest
import yaml

from enclave.offline.stack_files import load_project
from residency.jurisdictions import default_catalogue
from residency.regions import account_from_arn, region_from_arn
from tests.components.enclave_runs import (
    PROJECT_DIR,
    enclave_stacks,
    of_type,
    one,
    one_ring,
    provider_json,
    ring_resources,
    run_with,
    shipped_run,
    stack_config,
    statements,
)

STACKS = enclave_stacks()
BUCKET = "aws:s3/bucket:Bucket"
KEY = "aws:kms/key:Key"
ROLE = "aws:iam/role:Role"
STATEFUL = {BUCKET, KEY, "aws:cloudwatch/logGroup:LogGroup"}
INTERNET_PATHS = {
    "aws:ec2/internetGateway:InternetGateway",
    "aws:ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway",
    "aws:ec2/natGateway:NatGateway",
    "aws:ec2/internetGatewayAttachment:InternetGatewayAttachment",
    "aws:ec2/route:Route",
}


def test_at_least_eight_jurisdictions_ship() -> None:
    assert {stack_config(s)["enclave:jurisdiction"] for s in STACKS} >= {"eu", "uk", "us", "in", "ca", "au", "jp", "sg"}


@pytest.fixture(params=STACKS)
def stack(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_program_completes(stack: str) -> None:
    run = shipped_run(stack)
    assert run.error is None


def test_every_aws_resource_is_inside_the_jurisdiction(stack: str) -> None:
    run = shipped_run(stack)
    jurisdiction = default_catalogue().get(stack_config(stack)["enclave:jurisdiction"])
    aws_resources = [r for r in run.resources if r.type.startswith("aws:")]
    assert len(aws_resources) > 50
    outside = [(r.name, r.region) for r in aws_resources if r.region is None or not jurisdiction.allows(r.region)]
    assert outside == []


def test_one_explicit_provider_pinned_to_account_region_and_tags(stack: str) -> None:
    run, config = shipped_run(stack), stack_config(stack)
    provider = one(run, "pulumi:providers:aws")
    assert provider.inputs["region"] == config["aws:region"]
    assert provider.inputs["stsRegion"] == config["aws:region"]
    assert provider_json(provider.inputs["allowedAccountIds"]) == [config["enclave:accountId"]]
    tags = provider_json(provider.inputs["defaultTags"])["tags"]
    assert tags["jurisdiction"] == config["enclave:jurisdiction"]
    assert tags["data-classification"] == "personal-data"
    on_default_provider = [r.name for r in run.resources if r.type.startswith("aws:") and r.provider != provider.urn]
    assert on_default_provider == []


def test_every_aws_resource_is_parented_to_a_component(stack: str) -> None:
    run = shipped_run(stack)
    components = {r.urn for r in run.resources if r.type.startswith("enclave:components:")}
    orphans = [r.name for r in run.resources if r.type.startswith("aws:") and r.parent not in components]
    assert orphans == []


def test_no_path_to_the_internet(stack: str) -> None:
    run = shipped_run(stack)
    assert [r.type for r in run.resources if r.type in INTERNET_PATHS] == []
    for table in of_type(run, "aws:ec2/routeTable:RouteTable"):
        assert not table.inputs.get("routes")
    for subnet in of_type(run, "aws:ec2/subnet:Subnet"):
        assert subnet.inputs["mapPublicIpOnLaunch"] is False


def test_private_subnets_span_two_zones_of_the_home_region(stack: str) -> None:
    run, region = shipped_run(stack), stack_config(stack)["aws:region"]
    zones = [s.inputs["availabilityZone"] for s in ring_resources(run, "aws:ec2/subnet:Subnet")]
    assert len(zones) >= 2
    assert len(set(zones)) == len(zones)
    assert all(z.startswith(region) for z in zones)


def test_default_security_group_has_no_rules(stack: str) -> None:
    group = one_ring(shipped_run(stack), "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup")
    assert not group.inputs.get("ingress")
    assert not group.inputs.get("egress")


def test_service_endpoints_keep_traffic_private(stack: str) -> None:
    run, config = shipped_run(stack), stack_config(stack)
    region = config["aws:region"]
    endpoints = {e.inputs["serviceName"]: e.inputs for e in ring_resources(run, "aws:ec2/vpcEndpoint:VpcEndpoint")}
    for service in ("s3", "dynamodb"):
        assert endpoints[f"com.amazonaws.{region}.{service}"]["vpcEndpointType"] == "Gateway"
    for service in ("kms", "sts", "logs"):
        endpoint = endpoints[f"com.amazonaws.{region}.{service}"]
        assert endpoint["vpcEndpointType"] == "Interface"
        assert endpoint["privateDnsEnabled"] is True
    group = one_ring(run, "aws:ec2/securityGroup:SecurityGroup")
    [rule] = group.inputs["ingress"]
    assert (rule["fromPort"], rule["toPort"], rule["cidrBlocks"]) == (443, 443, [config["enclave:vpcCidr"]])
    assert not group.inputs.get("egress")


def test_flow_logs_go_to_an_encrypted_log_group_in_the_enclave(stack: str) -> None:
    run = shipped_run(stack)
    vpc = one_ring(run, "aws:ec2/vpc:Vpc")
    flow_log = one_ring(run, "aws:ec2/flowLog:FlowLog")
    group = one_ring(run, "aws:cloudwatch/logGroup:LogGroup")
    assert flow_log.inputs["vpcId"] == vpc.id
    assert flow_log.inputs["trafficType"] == "ALL"
    assert flow_log.inputs["logDestination"] == group.outputs["arn"]
    assert group.inputs["kmsKeyId"] in enclave_key_arns(stack)


def enclave_key_arns(stack: str) -> set[str]:
    run, config = shipped_run(stack), stack_config(stack)
    arns = {k.outputs["arn"] for k in of_type(run, KEY)}
    for arn in arns:
        assert (region_from_arn(arn), account_from_arn(arn)) == (config["aws:region"], config["enclave:accountId"])
    return arns


def test_kms_keys_rotate_stay_single_region_and_wait_30_days(stack: str) -> None:
    assert len(ring_resources(shipped_run(stack), KEY)) == 3
    keys = of_type(shipped_run(stack), KEY)
    for key in keys:
        assert key.inputs["enableKeyRotation"] is True
        assert key.inputs["multiRegion"] is False
        assert key.inputs["deletionWindowInDays"] >= 30


def test_buckets_encrypt_under_enclave_keys_and_block_public_access(stack: str) -> None:
    run = shipped_run(stack)
    keys = enclave_key_arns(stack)
    assert len(ring_resources(run, BUCKET)) == 3  # user records, test data, audit logs
    buckets = {b.id for b in of_type(run, BUCKET)}
    sse = {
        r.inputs["bucket"]: r.inputs["rules"]
        for r in of_type(run, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration")
    }
    blocks = {
        r.inputs["bucket"]: r.inputs for r in of_type(run, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")
    }
    versioning = {r.inputs["bucket"]: r.inputs for r in of_type(run, "aws:s3/bucketVersioning:BucketVersioning")}
    ownership = {
        r.inputs["bucket"]: r.inputs for r in of_type(run, "aws:s3/bucketOwnershipControls:BucketOwnershipControls")
    }
    for bucket in buckets:
        [rule] = sse[bucket]
        default = rule["applyServerSideEncryptionByDefault"]
        assert default["sseAlgorithm"] == "aws:kms"
        assert default["kmsMasterKeyId"] in keys
        assert rule["bucketKeyEnabled"] is True
        assert all(
            blocks[bucket][k] is True
            for k in ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")
        )
        assert versioning[bucket]["versioningConfiguration"]["status"] == "Enabled"
        assert ownership[bucket]["rule"]["objectOwnership"] == "BucketOwnerEnforced"


def test_bucket_policies_deny_plain_http_and_outsiders(stack: str) -> None:
    run, config = shipped_run(stack), stack_config(stack)
    deploy = f"arn:aws:iam::{config['enclave:accountId']}:role/enclave-deploy"
    for policy in of_type(run, "aws:s3/bucketPolicy:BucketPolicy"):
        by_sid = {s["Sid"]: s for s in statements(policy)}
        assert by_sid["DenyInsecureTransport"]["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
        outsiders = by_sid["DenyAllButEnclavePrincipals"]
        assert outsiders["Effect"] == "Deny" and outsiders["Principal"] == "*"
        assert deploy in outsiders["Condition"]["ArnNotEquals"]["aws:PrincipalArn"]
        # The deploy role manages buckets but never reads objects.
        assert deploy not in by_sid["DenyObjectAccessButReaders"]["Condition"]["ArnNotEquals"]["aws:PrincipalArn"]


def test_stateful_resources_are_protected(stack: str) -> None:
    run = shipped_run(stack)
    assert sum(len(ring_resources(run, t)) for t in STATEFUL) == 7  # 3 buckets, 3 keys, 1 flow-log group
    stateful = [r for r in run.resources if r.type in STATEFUL]
    unprotected = [r.name for r in stateful if not (r.protect and r.retain_on_delete)]
    assert unprotected == []


def test_every_role_carries_the_permissions_boundary(stack: str) -> None:
    """The rings' roles carry the people's boundary; the EKS service roles their own (test_service_boundary.py)."""
    run = shipped_run(stack)
    boundary = one_ring(run, "aws:iam/policy:Policy").outputs["arn"]
    assert len(ring_resources(run, ROLE)) == 5
    roles = of_type(run, ROLE)
    assert len(roles) >= 5  # operator, engineer, auditor, break-glass, flow-logs delivery
    service = [
        p.outputs["arn"]
        for p in of_type(run, "aws:iam/policy:Policy")
        if p.inputs["name"].endswith("-service-boundary")
    ]
    assert [r.name for r in roles if r.inputs.get("permissionsBoundary") not in (boundary, *service)] == []
    assert [r.name for r in ring_resources(run, ROLE) if r.inputs.get("permissionsBoundary") != boundary] == []


def test_trail_validates_encrypts_sees_every_region_and_stays_home(stack: str) -> None:
    run = shipped_run(stack)
    trail = one_ring(run, "aws:cloudtrail/trail:Trail")
    audit_bucket = next(b for b in ring_resources(run, BUCKET) if b.inputs.get("objectLockEnabled"))
    assert trail.inputs["enableLogFileValidation"] is True
    # Multi-Region with global service events: IAM changes and global-endpoint STS calls are recorded in
    # us-east-1 only, so a single-Region trail elsewhere would miss them (issue 10).
    assert trail.inputs["isMultiRegionTrail"] is True
    assert trail.inputs["includeGlobalServiceEvents"] is True
    assert trail.protect and trail.retain_on_delete
    assert trail.inputs["enableLogging"] is True
    assert trail.inputs["kmsKeyId"] in enclave_key_arns(stack)
    assert trail.inputs["s3BucketName"] == audit_bucket.id
    [data_selector] = [s for s in trail.inputs["advancedEventSelectors"] if s["name"].startswith("Object access")]
    arns = next(f for f in data_selector["fieldSelectors"] if f["field"] == "resources.ARN")["startsWiths"]
    records, testdata = (b for b in ring_resources(run, BUCKET) if not b.inputs.get("objectLockEnabled"))
    assert sorted(arns) == sorted([records.outputs["arn"] + "/", testdata.outputs["arn"] + "/"])


def test_audit_bucket_is_locked_in_compliance_mode_for_the_configured_retention(stack: str) -> None:
    run = shipped_run(stack)
    lock = one_ring(run, "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration")
    retention = lock.inputs["rule"]["defaultRetention"]
    assert retention["mode"] == "COMPLIANCE"
    assert retention["days"] == int(stack_config(stack).get("enclave:auditRetentionDays", "365"))


def test_stack_outputs_name_the_enclave(stack: str) -> None:
    outputs = shipped_run(stack).stack_outputs
    for key in ("vpcId", "recordsBucketName", "testdataBucketName", "auditBucketName", "recordsKeyArn", "trailArn"):
        assert outputs[key]
    for purpose in ("operator", "engineer", "auditor", "breakGlass"):
        assert outputs[f"{purpose}RoleArn"].endswith(
            f":role/enclave-{stack_config(stack)['enclave:jurisdiction']}-"
            + ("break-glass" if purpose == "breakGlass" else purpose)
        )


def test_shipped_cidrs_do_not_overlap() -> None:
    nets = [ipaddress.ip_network(stack_config(s)["enclave:vpcCidr"]) for s in STACKS]
    assert all(not a.overlaps(b) for i, a in enumerate(nets) for b in nets[i + 1 :])


def test_secrets_stay_in_the_jurisdiction() -> None:
    project = load_project(PROJECT_DIR)
    for stack in STACKS:
        data = yaml.safe_load(project.stack_file(stack).read_text(encoding="utf-8"))
        region = data["config"]["aws:region"]
        assert data["secretsprovider"] == f"awskms://alias/enclave-{stack}-pulumi?region={region}"


def test_optional_config_flows_into_the_enclave() -> None:
    """Zones, retention and the deploy role name reach the subnets, object lock, key and bucket policies."""
    run = run_with(
        "in-mumbai",
        enclave__availabilityZones="ap-south-1a,ap-south-1b,ap-south-1c",
        enclave__auditRetentionDays="2555",
        enclave__deployRoleName="platform-deployer",
    )
    assert run.error is None
    subnets = ring_resources(run, "aws:ec2/subnet:Subnet")
    assert sorted((s.inputs["availabilityZone"], s.inputs["cidrBlock"]) for s in subnets) == [
        ("ap-south-1a", "10.13.0.0/18"),
        ("ap-south-1b", "10.13.64.0/18"),
        ("ap-south-1c", "10.13.128.0/18"),
    ]
    for endpoint in ring_resources(run, "aws:ec2/vpcEndpoint:VpcEndpoint"):
        if endpoint.inputs["vpcEndpointType"] == "Interface":
            assert sorted(endpoint.inputs["subnetIds"]) == sorted(str(s.id) for s in subnets)
    lock = one_ring(run, "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration")
    assert lock.inputs["rule"]["defaultRetention"]["days"] == 2555
    deployer = "arn:aws:iam::111111111104:role/platform-deployer"
    for key in ring_resources(run, KEY):
        admin = next(s for s in statements(key) if s["Sid"] == "DeployRoleAdministersKey")
        assert admin["Principal"] == {"AWS": deployer}
    for policy in ring_resources(run, "aws:s3/bucketPolicy:BucketPolicy"):
        outsiders = next(s for s in statements(policy) if s["Sid"] == "DenyAllButEnclavePrincipals")
        assert deployer in outsiders["Condition"]["ArnNotEquals"]["aws:PrincipalArn"]
