"""Seed the moto server over boto3, exactly as a real account would be configured.

Names say what each resource is: ``good-*`` is compliant for jurisdiction eu, anything else is a seeded
violation that a test expects to see as a FAIL.
"""

from __future__ import annotations

from typing import Any

ROLE = "arn:aws:iam::123456789012:role/replication"
ALL_BLOCKED = {
    "BlockPublicAcls": True,
    "IgnorePublicAcls": True,
    "BlockPublicPolicy": True,
    "RestrictPublicBuckets": True,
}


def client(w: Any, service: str, region: str) -> Any:
    # Clients are cached: making one costs more than most moto calls.
    key = f"client:{service}:{region}"
    if key not in w.clients:
        w.clients[key] = w.session.client(service, region_name=region, endpoint_url=w.url)
    return w.clients[key]


def seed_world(w: Any) -> None:
    seed_kms(w)
    seed_s3(w)
    seed_everything_else(w)


def _key(w: Any, region: str, name: str, *, rotate: bool = True, multi_region: bool = False) -> str:
    kms = client(w, "kms", region)
    meta = kms.create_key(Description=name, MultiRegion=multi_region)["KeyMetadata"]
    if rotate:
        kms.enable_key_rotation(KeyId=meta["KeyId"])
    w.ids[name] = meta["Arn"]
    w.ids[f"{name}-id"] = meta["KeyId"]
    return str(meta["Arn"])


def seed_kms(w: Any) -> None:
    _key(w, "eu-west-1", "good-key-dublin")
    _key(w, "eu-central-1", "good-key-frankfurt")
    _key(w, "eu-central-1", "key-without-rotation", rotate=False)
    _key(w, "us-east-1", "key-in-virginia")
    _key(w, "eu-west-1", "key-multi-region", multi_region=True)
    replica = client(w, "kms", "eu-west-1").replicate_key(KeyId=w.ids["key-multi-region-id"], ReplicaRegion="us-east-1")
    w.ids["key-multi-region-replica"] = replica["ReplicaKeyMetadata"]["Arn"]


def _bucket(
    w: Any, name: str, region: str, *, key: str | None = None, blocked: bool = True, versioned: bool = False
) -> None:
    s3 = client(w, "s3", region)
    if region == "us-east-1":
        s3.create_bucket(Bucket=name)
    else:
        s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": region})
    if key is not None:
        s3.put_bucket_encryption(
            Bucket=name,
            ServerSideEncryptionConfiguration={
                "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key}}]
            },
        )
    if blocked:
        s3.put_public_access_block(Bucket=name, PublicAccessBlockConfiguration=ALL_BLOCKED)
    if versioned:
        s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})


def _replicate(w: Any, source: str, region: str, destination: str) -> None:
    client(w, "s3", region).put_bucket_replication(
        Bucket=source,
        ReplicationConfiguration={
            "Role": ROLE,
            "Rules": [
                {
                    "ID": f"to-{destination}",
                    "Status": "Enabled",
                    "Priority": 1,
                    "Filter": {"Prefix": ""},
                    "DeleteMarkerReplication": {"Status": "Disabled"},
                    "Destination": {"Bucket": f"arn:aws:s3:::{destination}"},
                }
            ],
        },
    )


def seed_s3(w: Any) -> None:
    dublin, frankfurt = w.ids["good-key-dublin"], w.ids["good-key-frankfurt"]
    _bucket(w, "good-bucket-dublin", "eu-west-1", key=dublin, versioned=True)
    _bucket(w, "good-bucket-frankfurt", "eu-central-1", key=frankfurt, versioned=True)
    # In-jurisdiction replication is allowed.
    _replicate(w, "good-bucket-dublin", "eu-west-1", "good-bucket-frankfurt")
    _bucket(w, "stray-bucket-virginia", "us-east-1", blocked=False)  # no encryption, no public access block
    _bucket(w, "stray-bucket-london", "eu-west-2", key="alias/aws/s3")
    _bucket(w, "replica-bucket-virginia", "us-east-1", key=w.ids["key-in-virginia"], versioned=True)
    _bucket(w, "replicating-bucket", "eu-west-1", key=dublin, versioned=True)
    _replicate(w, "replicating-bucket", "eu-west-1", "replica-bucket-virginia")
    _bucket(w, "replicating-to-unknown", "eu-west-1", key=dublin, versioned=True)
    _replicate(w, "replicating-to-unknown", "eu-west-1", "bucket-of-another-account")
    _bucket(w, "key-abroad-bucket", "eu-west-1", key=w.ids["key-in-virginia"])
    _bucket(w, "public-bucket", "eu-central-1", key=frankfurt, blocked=False)


def seed_everything_else(w: Any) -> None:
    seed_rds(w)  # before the default VPCs go: moto places DB instances in them
    seed_network(w)
    seed_snapshots(w)
    seed_trails(w)
    seed_secrets(w)
    seed_ecr(w)
    seed_backup(w)
    seed_dynamodb(w)


def _drop_default_vpc(ec2: Any) -> None:
    # A real enclave account has no default VPC in its regions (Control Tower deletes them).
    for vpc in ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"]:
        for subnet in ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc["VpcId"]]}])["Subnets"]:
            ec2.delete_subnet(SubnetId=subnet["SubnetId"])
        ec2.delete_vpc(VpcId=vpc["VpcId"])


def _vpc(w: Any, region: str, name: str, cidr: str, *, flow_logs: bool = True) -> str:
    ec2 = client(w, "ec2", region)
    vpc_id = str(ec2.create_vpc(CidrBlock=cidr)["Vpc"]["VpcId"])
    if flow_logs:
        ec2.create_flow_logs(
            ResourceIds=[vpc_id],
            ResourceType="VPC",
            TrafficType="ALL",
            LogDestinationType="s3",
            LogDestination="arn:aws:s3:::good-bucket-dublin",
        )
    w.ids[name] = f"arn:aws:ec2:{region}:{w.account}:vpc/{vpc_id}"
    w.ids[f"{name}-id"] = vpc_id
    return vpc_id


def seed_network(w: Any) -> None:
    for region in ("eu-west-1", "eu-central-1"):
        _drop_default_vpc(client(w, "ec2", region))
    dublin = _vpc(w, "eu-west-1", "good-vpc-dublin", "10.1.0.0/16")
    frankfurt = _vpc(w, "eu-central-1", "good-vpc-frankfurt", "10.2.0.0/16")
    _vpc(w, "eu-west-1", "vpc-without-flow-logs", "10.3.0.0/16", flow_logs=False)
    exposed = _vpc(w, "eu-central-1", "vpc-with-internet-gateway", "10.4.0.0/16")
    ec2 = client(w, "ec2", "eu-central-1")
    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=exposed)
    w.ids["igw"] = igw
    egress = _vpc(w, "eu-west-1", "vpc-with-egress-gateway", "10.6.0.0/16")
    client(w, "ec2", "eu-west-1").create_egress_only_internet_gateway(VpcId=egress)
    natted = _vpc(w, "eu-central-1", "vpc-with-nat-gateway", "10.7.0.0/16")
    subnet = ec2.create_subnet(VpcId=natted, CidrBlock="10.7.0.0/24")["Subnet"]["SubnetId"]
    allocation = ec2.allocate_address(Domain="vpc")["AllocationId"]
    ec2.create_nat_gateway(SubnetId=subnet, AllocationId=allocation)
    # A private NAT gateway does not reach the internet: the Frankfurt VPC stays compliant.
    private = ec2.create_subnet(VpcId=frankfurt, CidrBlock="10.2.0.0/24")["Subnet"]["SubnetId"]
    ec2.create_nat_gateway(SubnetId=private, ConnectivityType="private")
    virginia = _vpc(w, "us-east-1", "stray-vpc-virginia", "10.5.0.0/16")
    eu = client(w, "ec2", "eu-west-1")
    good = eu.create_vpc_peering_connection(VpcId=dublin, PeerVpcId=frankfurt, PeerRegion="eu-central-1")
    w.ids["good-peering"] = good["VpcPeeringConnection"]["VpcPeeringConnectionId"]
    bad = eu.create_vpc_peering_connection(VpcId=dublin, PeerVpcId=virginia, PeerRegion="us-east-1")
    w.ids["peering-to-virginia"] = bad["VpcPeeringConnection"]["VpcPeeringConnectionId"]
    tgw_eu = eu.create_transit_gateway()["TransitGateway"]["TransitGatewayId"]
    tgw_us = client(w, "ec2", "us-east-1").create_transit_gateway()["TransitGateway"]["TransitGatewayId"]
    attachment = eu.create_transit_gateway_peering_attachment(
        TransitGatewayId=tgw_eu, PeerTransitGatewayId=tgw_us, PeerAccountId=w.account, PeerRegion="us-east-1"
    )
    w.ids["tgw-peering"] = attachment["TransitGatewayPeeringAttachment"]["TransitGatewayAttachmentId"]


def seed_snapshots(w: Any) -> None:
    eu = client(w, "ec2", "eu-west-1")
    volume = eu.create_volume(AvailabilityZone="eu-west-1a", Size=8)["VolumeId"]
    good = eu.create_snapshot(VolumeId=volume, Description="nightly")["SnapshotId"]
    shared = eu.create_snapshot(VolumeId=volume, Description="shared")["SnapshotId"]
    public = eu.create_snapshot(VolumeId=volume, Description="public")["SnapshotId"]
    eu.modify_snapshot_attribute(
        SnapshotId=shared, Attribute="createVolumePermission", OperationType="add", UserIds=["210987654321"]
    )
    eu.modify_snapshot_attribute(
        SnapshotId=public, Attribute="createVolumePermission", OperationType="add", GroupNames=["all"]
    )
    # EC2's own description for a copy made without one: "[Copied snap-... from REGION]".
    copied = client(w, "ec2", "us-east-1").copy_snapshot(
        SourceSnapshotId=good, SourceRegion="eu-west-1", Description=f"[Copied {good} from eu-west-1]"
    )["SnapshotId"]
    for name, region, snap in (
        ("good-snapshot", "eu-west-1", good),
        ("shared-snapshot", "eu-west-1", shared),
        ("public-snapshot", "eu-west-1", public),
        ("copied-snapshot", "us-east-1", copied),
    ):
        w.ids[name] = f"arn:aws:ec2:{region}::snapshot/{snap}"


def seed_trails(w: Any) -> None:
    _bucket(w, "good-trail-bucket", "eu-west-1", key=w.ids["good-key-dublin"])
    trail = client(w, "cloudtrail", "eu-west-1")
    good = trail.create_trail(
        Name="good-trail", S3BucketName="good-trail-bucket", IsMultiRegionTrail=True, EnableLogFileValidation=True
    )
    trail.start_logging(Name="good-trail")
    bad = trail.create_trail(Name="trail-without-validation", S3BucketName="good-trail-bucket")
    w.ids["good-trail"], w.ids["trail-without-validation"] = good["TrailARN"], bad["TrailARN"]


def seed_secrets(w: Any) -> None:
    sm = client(w, "secretsmanager", "eu-west-1")
    good = sm.create_secret(Name="good-secret", SecretString="x", AddReplicaRegions=[{"Region": "eu-central-1"}])
    bad = sm.create_secret(Name="replicated-secret", SecretString="x", AddReplicaRegions=[{"Region": "us-east-1"}])
    w.ids["good-secret"], w.ids["replicated-secret"] = good["ARN"], bad["ARN"]
    w.ids["replicated-secret-replica"] = bad["ARN"].replace("eu-west-1", "us-east-1")


def seed_ecr(w: Any) -> None:
    client(w, "ecr", "eu-west-1").create_repository(repositoryName="good-repo")
    client(w, "ecr", "eu-central-1").put_replication_configuration(
        replicationConfiguration={"rules": [{"destinations": [{"region": "us-east-1", "registryId": w.account}]}]}
    )


def seed_backup(w: Any) -> None:
    backup = client(w, "backup", "eu-west-1")
    backup.create_backup_vault(BackupVaultName="good-vault")
    plan = backup.create_backup_plan(
        BackupPlan={
            "BackupPlanName": "copies-to-virginia",
            "Rules": [
                {
                    "RuleName": "nightly",
                    "TargetBackupVaultName": "good-vault",
                    "CopyActions": [
                        {"DestinationBackupVaultArn": f"arn:aws:backup:us-east-1:{w.account}:backup-vault:dr-vault"}
                    ],
                }
            ],
        }
    )
    w.ids["backup-plan"] = plan["BackupPlanArn"]
    w.ids["good-vault"] = f"arn:aws:backup:eu-west-1:{w.account}:backup-vault:good-vault"


def seed_rds(w: Any) -> None:
    eu = client(w, "rds", "eu-west-1")
    db = eu.create_db_instance(
        DBInstanceIdentifier="source-db",
        Engine="postgres",
        DBInstanceClass="db.t3.micro",
        AllocatedStorage=20,
        MasterUsername="admin",
        MasterUserPassword="password123",
        StorageEncrypted=True,
        KmsKeyId=w.ids["good-key-dublin"],
    )["DBInstance"]
    w.ids["source-db"] = db["DBInstanceArn"]
    replica = client(w, "rds", "us-east-1").create_db_instance_read_replica(
        DBInstanceIdentifier="replica-db", SourceDBInstanceIdentifier=db["DBInstanceArn"]
    )["DBInstance"]
    w.ids["replica-db"] = replica["DBInstanceArn"]
    eu.create_global_cluster(GlobalClusterIdentifier="global-db", Engine="aurora-postgresql")
    w.ids["global-db"] = eu.describe_global_clusters()["GlobalClusters"][0]["GlobalClusterArn"]
    for region, name in (("eu-west-1", "primary-cluster"), ("us-east-1", "secondary-cluster")):
        cluster = client(w, "rds", region).create_db_cluster(
            DBClusterIdentifier=name,
            Engine="aurora-postgresql",
            MasterUsername="admin",
            MasterUserPassword="password123",
            GlobalClusterIdentifier="global-db",
        )["DBCluster"]
        w.ids[name] = cluster["DBClusterArn"]


def seed_dynamodb(w: Any) -> None:
    # moto 5.2 emulates tables but not global-table replicas (those are tested with Stubber).
    table = client(w, "dynamodb", "eu-west-1").create_table(
        TableName="good-table",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    w.ids["good-table"] = table["TableDescription"]["TableArn"]
