"""Transfer facts that one pulumi-aws resource shows on its own (resource scope).

Each extractor names where the resource copies or moves data. A destination whose region cannot be read
(an account id, an ARN without region) has ``region=None``, which the transfer rules treat as
"cannot be proven in the jurisdiction". S3 replication and Multi-Region Access Points need the whole
program to resolve bucket names and live in ``adapters.pulumi.aws_program``.
"""

from __future__ import annotations

from collections.abc import Iterator

from adapters.pulumi.resources import Extractor, ProgramIndex, ResourceView, extractor, get_path, items, text
from residency.model import Destination, Fact, Transfer, Vector
from residency.regions import account_from_arn, region_from_arn, region_of


def _transfer(view: ResourceView, vector: Vector, dest: Destination, source: str | None = None) -> Transfer:
    return Transfer(vector, view.urn, view.type, source or view.region, dest)


def _to_region(view: ResourceView, vector: Vector, region: str | None, what: str, source: str | None = None) -> Fact:
    return _transfer(view, vector, Destination(f"{what} {region or '(unknown region)'}", region=region), source)


@extractor("aws:kms/key:Key")
def kms_multi_region(view: ResourceView, _: ProgramIndex | None) -> Iterator[Fact]:
    # A multi-Region primary can be replicated to any region by anyone allowed kms:ReplicateKey:
    # its replicas' regions cannot be bounded from the program, so it is an unresolvable destination.
    if view.props.get("multiRegion") is True:
        yield _transfer(
            view, Vector.KMS_MULTI_REGION_KEY, Destination("replicas of a multi-Region key (any region)", None)
        )


@extractor("aws:kms/replicaKey:ReplicaKey", "aws:kms/replicaExternalKey:ReplicaExternalKey")
def kms_replica(view: ResourceView, _: ProgramIndex | None) -> Iterator[Fact]:
    primary = text(view.props.get("primaryKeyArn"))
    yield _to_region(
        view, Vector.KMS_MULTI_REGION_KEY, view.region, "KMS replica key in", region_from_arn(primary or "")
    )


@extractor("aws:dynamodb/table:Table")
def dynamodb_table_replicas(view: ResourceView, _: ProgramIndex | None) -> Iterator[Fact]:
    for replica in items(view.props.get("replicas")):
        yield _to_region(view, Vector.DYNAMODB_GLOBAL_TABLE, text(get_path(replica, "regionName")), "table replica in")


@extractor("aws:dynamodb/tableReplica:TableReplica")
def dynamodb_table_replica(view: ResourceView, _: ProgramIndex | None) -> Iterator[Fact]:
    source = region_from_arn(text(view.props.get("globalTableArn")) or "")
    yield _to_region(view, Vector.DYNAMODB_GLOBAL_TABLE, view.region, "table replica in", source)


@extractor("aws:dynamodb/globalTable:GlobalTable")
def dynamodb_global_table(view: ResourceView, _: ProgramIndex | None) -> Iterator[Fact]:
    for replica in items(view.props.get("replicas")):
        yield _to_region(view, Vector.DYNAMODB_GLOBAL_TABLE, text(get_path(replica, "regionName")), "global table in")


@extractor("aws:rds/instance:Instance")
def rds_read_replica(view: ResourceView, _: ProgramIndex | None) -> Iterator[Fact]:
    source = text(view.props.get("replicateSourceDb"))
    if source is not None:
        # A same-region source is named by identifier; a cross-region source must be an ARN.
        yield _to_region(view, Vector.RDS_READ_REPLICA, view.region, "read replica in", region_from_arn(source))


@extractor("aws:rds/cluster:Cluster")
def aurora_cross_region_replica(view: ResourceView, _: ProgramIndex | None) -> Iterator[Fact]:
    # An Aurora cluster can itself be a cross-region read replica of another cluster (by ARN).
    source = text(view.props.get("replicationSourceIdentifier"))
    if source is not None:
        yield _to_region(
            view, Vector.RDS_READ_REPLICA, view.region, "Aurora replica cluster in", region_from_arn(source)
        )


@extractor("aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication")
def rds_backup_replication(view: ResourceView, _: ProgramIndex | None) -> Iterator[Fact]:
    source = region_from_arn(text(view.props.get("sourceDbInstanceArn")) or "")
    yield _to_region(view, Vector.RDS_BACKUP_REPLICATION, view.region, "replicated automated backups in", source)


def _global_member(vector: Vector, what: str) -> Extractor:
    def extract(view: ResourceView, _: ProgramIndex | None) -> Iterator[Fact]:
        if text(view.props.get("globalClusterIdentifier")) is not None:
            yield _to_region(view, vector, view.region, what)

    return extract


extractor("aws:rds/cluster:Cluster")(_global_member(Vector.AURORA_GLOBAL_DATABASE, "Aurora global cluster member in"))
extractor("aws:docdb/cluster:Cluster")(
    _global_member(Vector.DOCDB_GLOBAL_CLUSTER, "DocumentDB global cluster member in")
)
extractor("aws:neptune/cluster:Cluster")(
    _global_member(Vector.NEPTUNE_GLOBAL_CLUSTER, "Neptune global cluster member in")
)


@extractor("aws:rds/globalCluster:GlobalCluster")
def aurora_global_cluster(view: ResourceView, _: ProgramIndex | None) -> Iterator[Fact]:
    # The global cluster itself is placed where it is created; its secondaries are judged as members.
    yield _to_region(view, Vector.AURORA_GLOBAL_DATABASE, view.region, "Aurora global database created in")


@extractor("aws:secretsmanager/secret:Secret")
def secret_replicas(view: ResourceView, _: ProgramIndex | None) -> Iterator[Fact]:
    for replica in items(view.props.get("replicas")):
        yield _to_region(view, Vector.SECRETS_MANAGER_REPLICA, text(get_path(replica, "region")), "secret replica in")


@extractor("aws:ecr/replicationConfiguration:ReplicationConfiguration")
def ecr_replication(view: ResourceView, _: ProgramIndex | None) -> Iterator[Fact]:
    for rule in items(get_path(view.props, "replicationConfiguration", "rules")):
        for dest in items(get_path(rule, "destinations")):
            region = text(get_path(dest, "region"))
            account = text(get_path(dest, "registryId"))
            yield _transfer(
                view,
                Vector.ECR_REPLICATION,
                Destination(f"ECR registry {account or '?'} in {region or '(unknown region)'}", region, account),
            )


@extractor("aws:efs/replicationConfiguration:ReplicationConfiguration")
def efs_replication(view: ResourceView, _: ProgramIndex | None) -> Iterator[Fact]:
    for dest in items(view.props.get("destination")):
        yield _to_region(view, Vector.EFS_REPLICATION, text(get_path(dest, "region")), "EFS replica in")


@extractor("aws:backup/plan:Plan")
def backup_copy(view: ResourceView, _: ProgramIndex | None) -> Iterator[Fact]:
    for rule in items(view.props.get("rules")):
        for action in items(get_path(rule, "copyActions")):
            arn = text(get_path(action, "destinationVaultArn")) or ""
            yield _transfer(
                view,
                Vector.BACKUP_COPY,
                Destination(f"backup vault {arn or '(unknown)'}", region_from_arn(arn), account_from_arn(arn)),
            )


@extractor("aws:ebs/snapshotCopy:SnapshotCopy")
def ebs_snapshot_copy(view: ResourceView, _: ProgramIndex | None) -> Iterator[Fact]:
    source = text(view.props.get("sourceRegion"))
    yield _to_region(view, Vector.EBS_SNAPSHOT_COPY, view.region, "snapshot copy in", source)


@extractor("aws:ec2/amiCopy:AmiCopy")
def ami_copy(view: ResourceView, _: ProgramIndex | None) -> Iterator[Fact]:
    source = text(view.props.get("sourceAmiRegion"))
    yield _to_region(view, Vector.AMI_COPY, view.region, "AMI copy in", source)


@extractor(
    "aws:ec2/snapshotCreateVolumePermission:SnapshotCreateVolumePermission",
    "aws:ec2/amiLaunchPermission:AmiLaunchPermission",
)
def snapshot_share(view: ResourceView, _: ProgramIndex | None) -> Iterator[Fact]:
    # Sharing a snapshot (or an image, which shares its snapshots) lets another account copy it anywhere.
    account = text(view.props.get("accountId"))
    group = text(view.props.get("group"))
    who = f"account {account}" if account else f"group {group or '(unknown)'}"
    yield _transfer(view, Vector.EBS_SNAPSHOT_SHARE, Destination(f"snapshot shared with {who}", None, account))


@extractor("aws:dlm/lifecyclePolicy:LifecyclePolicy")
def dlm_cross_region(view: ResourceView, _: ProgramIndex | None) -> Iterator[Fact]:
    details = view.props.get("policyDetails")
    for schedule in items(get_path(details, "schedules")):
        for rule in items(get_path(schedule, "crossRegionCopyRules")):
            target = text(get_path(rule, "target")) or text(get_path(rule, "targetRegion"))
            yield _to_region(view, Vector.DLM_CROSS_REGION_COPY, _region_or_arn(target), "lifecycle copy to")
    for action in items(get_path(details, "actions")):
        for copy in items(get_path(action, "crossRegionCopies")):
            target = text(get_path(copy, "target"))
            yield _to_region(view, Vector.DLM_CROSS_REGION_COPY, _region_or_arn(target), "lifecycle copy to")


def _region_or_arn(value: str | None) -> str | None:
    if value is None:
        return None
    return region_of(value, value)


@extractor("aws:redshift/snapshotCopy:SnapshotCopy")
def redshift_snapshot_copy(view: ResourceView, _: ProgramIndex | None) -> Iterator[Fact]:
    region = text(view.props.get("destinationRegion"))
    yield _to_region(view, Vector.REDSHIFT_SNAPSHOT_COPY, region, "Redshift snapshot copies in")


@extractor("aws:redshift/cluster:Cluster")
def redshift_cluster_snapshot_copy(view: ResourceView, _: ProgramIndex | None) -> Iterator[Fact]:
    copy = view.props.get("snapshotCopy")
    if copy is None:
        return
    region = text(get_path(copy, "destinationRegion"))
    if region is None:
        dest = Destination("unreadable destination: snapshotCopy without a destinationRegion", None)
        yield _transfer(view, Vector.REDSHIFT_SNAPSHOT_COPY, dest)
    else:
        yield _to_region(view, Vector.REDSHIFT_SNAPSHOT_COPY, region, "Redshift snapshot copies in")


def _peering(vector: Vector, what: str, account_key: str) -> Extractor:
    def extract(view: ResourceView, _: ProgramIndex | None) -> Iterator[Fact]:
        # Without peerRegion the peer is in the requester's own region.
        region = text(view.props.get("peerRegion")) or view.region
        account = text(view.props.get(account_key))
        yield _transfer(view, vector, Destination(f"{what} in {region or '(unknown region)'}", region, account))

    return extract


extractor("aws:ec2/vpcPeeringConnection:VpcPeeringConnection")(_peering(Vector.VPC_PEERING, "peer VPC", "peerOwnerId"))
extractor("aws:ec2transitgateway/peeringAttachment:PeeringAttachment")(
    _peering(Vector.TRANSIT_GATEWAY_PEERING, "peer transit gateway", "peerAccountId")
)


@extractor("aws:cloudfront/distribution:Distribution")
def cloudfront(view: ResourceView, _: ProgramIndex | None) -> Iterator[Fact]:
    yield _transfer(view, Vector.CLOUDFRONT, Destination("CloudFront edge caches", None, worldwide=True))


@extractor("aws:elasticache/replicationGroup:ReplicationGroup")
def elasticache_global_member(view: ResourceView, _: ProgramIndex | None) -> Iterator[Fact]:
    if text(view.props.get("globalReplicationGroupId")) is not None:
        yield _to_region(view, Vector.ELASTICACHE_GLOBAL_DATASTORE, view.region, "global datastore member in")


@extractor("aws:elasticache/globalReplicationGroup:GlobalReplicationGroup")
def elasticache_global(view: ResourceView, _: ProgramIndex | None) -> Iterator[Fact]:
    yield _to_region(view, Vector.ELASTICACHE_GLOBAL_DATASTORE, view.region, "global datastore created in")


@extractor("aws:cfg/aggregateAuthorization:AggregateAuthorization")
def config_aggregate_authorization(view: ResourceView, _: ProgramIndex | None) -> Iterator[Fact]:
    # Authorises an aggregator in another account/region to pull this account's configuration data.
    region = text(view.props.get("authorizedAwsRegion"))
    account = text(view.props.get("accountId"))
    yield _transfer(
        view,
        Vector.CONFIG_AGGREGATOR,
        Destination(
            f"Config aggregator of account {account or '?'} in {region or '(unknown region)'}", region, account
        ),
    )


@extractor("aws:cfg/configurationAggregator:ConfigurationAggregator")
def config_aggregator(view: ResourceView, _: ProgramIndex | None) -> Iterator[Fact]:
    yield _to_region(view, Vector.CONFIG_AGGREGATOR, view.region, "Config aggregator in")


@extractor("aws:securityhub/findingAggregator:FindingAggregator")
def securityhub_aggregator(view: ResourceView, _: ProgramIndex | None) -> Iterator[Fact]:
    # Findings (which name resources and may quote data) from every linked region flow to this region.
    yield _to_region(view, Vector.SECURITY_HUB_AGGREGATOR, view.region, "Security Hub finding aggregator in")
