"""One failing and one passing program per data-path class (issue 9), run through the real gRPC protocol.

Stack: jurisdiction eu, aws:region eu-west-1, enclave account 111111111101. A failing program moves data
out of the EU (another region, a foreign account, a host outside AWS, the public) by one class of path; the
passing program of the same class keeps the data in (another EU region, an EU enclave account, an inbound
copy, a destination covered by an assessment in ``ASSESSMENTS``).
"""

from __future__ import annotations

import json
from typing import Any

from tests.residency_pack.cases import Case, Res

STACK_CONFIG = {"enclave:jurisdiction": "eu", "aws:region": "eu-west-1", "enclave:accountId": "111111111101"}
OWN = "111111111101"
FOREIGN = "444455556666"
US_ENCLAVE = "111111111103"
PARTNER_HOST = "ingest.partner.example"
CFN_TOKEN = "aws:cloudformation/stack:Stack"
DYNAMIC_TOKEN = "pulumi-python:dynamic:Resource"

ASSESSMENTS = f"""
[[assessment]]
id = "TRA-TEST-PARTNER"
source = "eu"
destination = {{ host = "{PARTNER_HOST}" }}
vectors = ["delivery-stream", "messaging-fan-out"]
data_categories = ["aggregated usage metrics"]
purpose = "Deliver aggregated metrics to the analytics partner"
legal_mechanism = "standard-contractual-clauses"
supplementary_measures = ["aggregation before transfer"]
residual_risk = "low"
approver = "dpo@example.com"
approved_on = 2025-01-01
review_by = 2099-01-01

[[assessment]]
id = "TRA-TEST-CFN"
source = "eu"
destination = {{ provider = "{CFN_TOKEN}" }}
vectors = ["embedded-infrastructure"]
data_categories = ["none: the template declares an EU-only bucket, reviewed with this record"]
purpose = "Vendor-supplied template, reviewed"
legal_mechanism = "adequacy-decision"
supplementary_measures = ["template pinned by hash"]
residual_risk = "low"
approver = "dpo@example.com"
approved_on = 2025-01-01
review_by = 2099-01-01
resources = ["urn:pulumi:test::enclave::aws:cloudformation/stack:Stack::vendor-stack"]

[[assessment]]
id = "TRA-TEST-DYNAMIC"
source = "eu"
destination = {{ provider = "{DYNAMIC_TOKEN}" }}
vectors = ["embedded-infrastructure"]
data_categories = ["none: the provider's code was reviewed; it only tags resources in eu-west-1"]
purpose = "Reviewed dynamic provider"
legal_mechanism = "adequacy-decision"
supplementary_measures = ["provider code pinned by hash"]
residual_risk = "low"
approver = "dpo@example.com"
approved_on = 2025-01-01
review_by = 2099-01-01
resources = ["urn:pulumi:test::enclave::{DYNAMIC_TOKEN}::reviewed-tagger"]

[[assessment]]
id = "TRA-TEST-SAAS"
source = "eu"
destination = {{ provider = "snowflake" }}
vectors = ["other-provider"]
data_categories = ["aggregated usage metrics"]
purpose = "Analytics warehouse in the vendor's EU region, reviewed"
legal_mechanism = "adequacy-decision"
supplementary_measures = ["EU-region account, contractually bound"]
residual_risk = "low"
approver = "dpo@example.com"
approved_on = 2025-01-01
review_by = 2099-01-01
"""


def arn(service: str, region: str, resource: str, account: str = OWN) -> str:
    return f"arn:aws:{service}:{region}:{account}:{resource}"


def policy(principal: Any, **condition: Any) -> str:
    statement: dict[str, Any] = {"Effect": "Allow", "Principal": principal, "Action": "*", "Resource": "*"}
    if condition:
        statement["Condition"] = condition
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def pair(token: str, name: str, failing: dict[str, Any], passing: dict[str, Any]) -> tuple[Case, Case]:
    return [Res(token, name, failing)], [Res(token, name, passing)]


def _bucket(name: str, region: str | None = None) -> Res:
    return Res("aws:s3/bucket:Bucket", name, {"bucket": name, **({"region": region} if region else {})})


# rule id -> (failing, passing): the table test_catalogue checks covers every rule.
CASES: dict[str, tuple[Case, Case]] = {
    "transfer-data-path": pair(
        "aws:sns/topicSubscription:TopicSubscription",
        "sub",
        {"topicArn": arn("sns", "eu-west-1", "t"), "protocol": "sqs", "endpoint": arn("sqs", "us-east-1", "q")},
        {"topicArn": arn("sns", "eu-west-1", "t"), "protocol": "sqs", "endpoint": arn("sqs", "eu-central-1", "q")},
    ),
    "transfer-bucket-destination": (
        [Res("aws:cloudtrail/trail:Trail", "trail", {"s3BucketName": "someone-elses-logs"})],
        [
            _bucket("audit-logs", "eu-central-1"),
            Res("aws:cloudtrail/trail:Trail", "trail", {"s3BucketName": "audit-logs"}),
        ],
    ),
}

# class -> (failing, passing). Each failing program is blocked by transfer-data-path or
# transfer-bucket-destination; no passing program gets any mandatory finding at all.
CLASS_CASES: dict[str, tuple[Case, Case]] = {
    "sns-subscription-to-queue": CASES["transfer-data-path"],
    "sns-subscription-to-mailbox": pair(
        "aws:sns/topicSubscription:TopicSubscription",
        "sub",
        {"topicArn": arn("sns", "eu-west-1", "t"), "protocol": "email", "endpoint": "ops@elsewhere.example"},
        {
            "topicArn": arn("sns", "eu-west-1", "t"),
            "protocol": "lambda",
            "endpoint": arn("lambda", "eu-west-1", "function:f"),
        },
    ),
    "eventbridge-target-bus": pair(
        "aws:cloudwatch/eventTarget:EventTarget",
        "target",
        {"rule": "r", "arn": arn("events", "us-east-1", "event-bus/default")},
        {"rule": "r", "arn": arn("events", "eu-west-3", "event-bus/default")},
    ),
    "eventbridge-global-endpoint": pair(
        "aws:cloudwatch/eventEndpoint:EventEndpoint",
        "endpoint",
        {"routingConfig": {"failoverConfig": {"primary": {"healthCheck": "hc"}, "secondary": {"route": "us-east-1"}}}},
        {
            "routingConfig": {
                "failoverConfig": {"primary": {"healthCheck": "hc"}, "secondary": {"route": "eu-central-1"}}
            }
        },
    ),
    "eventbridge-api-destination": pair(
        "aws:cloudwatch/eventApiDestination:EventApiDestination",
        "api",
        {
            "invocationEndpoint": "https://hooks.elsewhere.example/in",
            "httpMethod": "POST",
            "connectionArn": arn("events", "eu-west-1", "connection/c"),
        },
        {
            "invocationEndpoint": "https://abc123.execute-api.eu-west-1.amazonaws.com/prod",
            "httpMethod": "POST",
            "connectionArn": arn("events", "eu-west-1", "connection/c"),
        },
    ),
    "pipe": pair(
        "aws:pipes/pipe:Pipe",
        "pipe",
        {
            "source": arn("sqs", "eu-west-1", "in"),
            "target": arn("sqs", "us-west-2", "out"),
            "roleArn": f"arn:aws:iam::{OWN}:role/p",
        },
        {
            "source": arn("sqs", "us-west-2", "in"),
            "target": arn("sqs", "eu-west-1", "out"),
            "roleArn": f"arn:aws:iam::{OWN}:role/p",
        },
    ),
    "firehose-http-endpoint": pair(
        "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream",
        "firehose",
        {
            "destination": "http_endpoint",
            "httpEndpointConfiguration": {"url": "https://collector.elsewhere.example/v1", "name": "x"},
        },
        {
            "destination": "http_endpoint",
            "httpEndpointConfiguration": {"url": f"https://{PARTNER_HOST}/v1", "name": "x"},
        },
    ),
    "kinesis-streaming-destination": pair(
        "aws:dynamodb/kinesisStreamingDestination:KinesisStreamingDestination",
        "stream",
        {"tableName": "t", "streamArn": arn("kinesis", "ap-south-1", "stream/s")},
        {"tableName": "t", "streamArn": arn("kinesis", "eu-north-1", "stream/s")},
    ),
    "log-destination": pair(
        "aws:cloudwatch/logDestination:LogDestination",
        "dest",
        {"name": "d", "roleArn": f"arn:aws:iam::{OWN}:role/d", "targetArn": arn("kinesis", "us-east-1", "stream/s")},
        {"name": "d", "roleArn": f"arn:aws:iam::{OWN}:role/d", "targetArn": arn("kinesis", "eu-west-1", "stream/s")},
    ),
    "log-subscription-filter": pair(
        "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter",
        "filter",
        {"logGroup": "g", "filterPattern": "", "destinationArn": arn("logs", "us-east-1", "destination:d", FOREIGN)},
        {"logGroup": "g", "filterPattern": "", "destinationArn": arn("logs", "eu-west-1", "destination:d")},
    ),
    "iot-rule": pair(
        "aws:iot/topicRule:TopicRule",
        "rule",
        {
            "enabled": True,
            "sql": "SELECT * FROM 'd'",
            "sqlVersion": "2016-03-23",
            "https": [{"url": "https://iot.elsewhere.example/x"}],
        },
        {
            "enabled": True,
            "sql": "SELECT * FROM 'd'",
            "sqlVersion": "2016-03-23",
            "kineses": [{"streamName": "s", "roleArn": f"arn:aws:iam::{OWN}:role/r"}],
        },
    ),
    "dms-replication-task": pair(
        "aws:dms/replicationTask:ReplicationTask",
        "task",
        {
            "migrationType": "full-load",
            "sourceEndpointArn": arn("dms", "eu-west-1", "endpoint:src"),
            "targetEndpointArn": arn("dms", "us-east-1", "endpoint:dst"),
        },
        {
            "migrationType": "full-load",
            "sourceEndpointArn": arn("dms", "us-east-1", "endpoint:src"),
            "targetEndpointArn": arn("dms", "eu-west-1", "endpoint:dst"),
        },
    ),
    "datasync-task": pair(
        "aws:datasync/task:Task",
        "task",
        {
            "sourceLocationArn": arn("datasync", "eu-west-1", "location/loc-1"),
            "destinationLocationArn": arn("datasync", "us-west-2", "location/loc-2"),
        },
        {
            "sourceLocationArn": arn("datasync", "eu-west-1", "location/loc-1"),
            "destinationLocationArn": arn("datasync", "eu-west-1", "location/loc-2"),
        },
    ),
    "transfer-family-connector": pair(
        "aws:transfer/connector:Connector",
        "connector",
        {"url": "sftp://sftp.elsewhere.example", "accessRole": f"arn:aws:iam::{OWN}:role/c"},
        {"url": "https://as2.eu-west-1.amazonaws.com/x", "accessRole": f"arn:aws:iam::{OWN}:role/c"},
    ),
    "rds-snapshot-copy-destination-region": pair(
        "aws:rds/snapshotCopy:SnapshotCopy",
        "copy",
        {"sourceDbSnapshotIdentifier": "snap", "targetDbSnapshotIdentifier": "copy", "destinationRegion": "us-east-1"},
        # Inbound: a snapshot from another region copied into the jurisdiction.
        {"sourceDbSnapshotIdentifier": arn("rds", "us-east-1", "snapshot:snap"), "targetDbSnapshotIdentifier": "copy"},
    ),
    "rds-snapshot-sharing": pair(
        "aws:rds/snapshot:Snapshot",
        "snap",
        {"dbInstanceIdentifier": "db", "dbSnapshotIdentifier": "s", "sharedAccounts": [FOREIGN]},
        {"dbInstanceIdentifier": "db", "dbSnapshotIdentifier": "s", "sharedAccounts": ["111111111100"]},
    ),
    "ami-public-launch-permission": pair(
        "aws:ec2/amiLaunchPermission:AmiLaunchPermission",
        "launch",
        {"imageId": "ami-1", "group": "all"},
        {"imageId": "ami-1", "accountId": OWN},
    ),
    "redshift-datashare": pair(
        "aws:redshift/dataShareAuthorization:DataShareAuthorization",
        "share",
        {"dataShareArn": arn("redshift", "eu-west-1", "datashare:ns/share"), "consumerIdentifier": US_ENCLAVE},
        {"dataShareArn": arn("redshift", "eu-west-1", "datashare:ns/share"), "consumerIdentifier": OWN},
    ),
    "dynamodb-export-to-another-account": (
        [
            _bucket("exports"),
            Res(
                "aws:dynamodb/tableExport:TableExport",
                "export",
                {"tableArn": arn("dynamodb", "eu-west-1", "table/t"), "s3Bucket": "exports", "s3BucketOwner": FOREIGN},
            ),
        ],
        [
            _bucket("exports"),
            Res(
                "aws:dynamodb/tableExport:TableExport",
                "export",
                {"tableArn": arn("dynamodb", "eu-west-1", "table/t"), "s3Bucket": "exports", "s3BucketOwner": OWN},
            ),
        ],
    ),
    "dynamodb-export-to-a-bucket-outside-the-program": (
        [
            Res(
                "aws:dynamodb/tableExport:TableExport",
                "export",
                {"tableArn": arn("dynamodb", "eu-west-1", "table/t"), "s3Bucket": "exports"},
            )
        ],
        [
            _bucket("exports"),
            Res(
                "aws:dynamodb/tableExport:TableExport",
                "export",
                {"tableArn": arn("dynamodb", "eu-west-1", "table/t"), "s3Bucket": "exports"},
            ),
        ],
    ),
    "bucket-policy-public": pair(
        "aws:s3/bucketPolicy:BucketPolicy",
        "policy",
        {"bucket": "b", "policy": policy("*")},
        {"bucket": "b", "policy": policy("*", StringEquals={"aws:SourceVpce": "vpce-1"})},
    ),
    "bucket-policy-foreign-account": pair(
        "aws:s3/bucketPolicy:BucketPolicy",
        "policy",
        {"bucket": "b", "policy": policy({"AWS": f"arn:aws:iam::{FOREIGN}:root"})},
        {"bucket": "b", "policy": policy({"AWS": f"arn:aws:iam::{OWN}:root"})},
    ),
    "kms-key-policy": pair(
        "aws:kms/keyPolicy:KeyPolicy",
        "kp",
        {"keyId": "k", "policy": policy({"AWS": FOREIGN})},
        {"keyId": "k", "policy": policy({"Service": "logs.eu-west-1.amazonaws.com"})},
    ),
    "kms-grant": pair(
        "aws:kms/grant:Grant",
        "grant",
        {"keyId": "k", "granteePrincipal": f"arn:aws:iam::{FOREIGN}:role/x", "operations": ["Decrypt"]},
        {"keyId": "k", "granteePrincipal": f"arn:aws:iam::{OWN}:role/x", "operations": ["Decrypt"]},
    ),
    "sqs-queue-policy": pair(
        "aws:sqs/queuePolicy:QueuePolicy",
        "qp",
        {
            "queueUrl": "https://sqs.eu-west-1.amazonaws.com/111111111101/q",
            "policy": policy(
                {"Service": "sns.amazonaws.com"}, ArnEquals={"aws:SourceArn": arn("sns", "us-east-1", "t")}
            ),
        },
        {
            "queueUrl": "https://sqs.eu-west-1.amazonaws.com/111111111101/q",
            "policy": policy(
                {"Service": "sns.amazonaws.com"}, ArnEquals={"aws:SourceArn": arn("sns", "eu-west-1", "t")}
            ),
        },
    ),
    "sns-topic-policy": pair(
        "aws:sns/topicPolicy:TopicPolicy",
        "tp",
        {"arn": arn("sns", "eu-west-1", "t"), "policy": policy({"AWS": "*"})},
        {"arn": arn("sns", "eu-west-1", "t"), "policy": policy({"AWS": "*"}, StringEquals={"aws:SourceAccount": OWN})},
    ),
    "lambda-permission": pair(
        "aws:lambda/permission:Permission",
        "perm",
        {"function": "f", "action": "lambda:InvokeFunction", "principal": FOREIGN},
        {"function": "f", "action": "lambda:InvokeFunction", "principal": "s3.amazonaws.com", "sourceAccount": OWN},
    ),
    "ecr-repository-policy": pair(
        "aws:ecr/repositoryPolicy:RepositoryPolicy",
        "rp",
        {"repository": "r", "policy": policy({"AWS": f"arn:aws:iam::{US_ENCLAVE}:root"})},
        {"repository": "r", "policy": policy({"AWS": f"arn:aws:iam::{OWN}:root"})},
    ),
    "secret-policy": pair(
        "aws:secretsmanager/secretPolicy:SecretPolicy",
        "sp",
        {"secretArn": arn("secretsmanager", "eu-west-1", "secret:s"), "policy": policy("*")},
        {
            "secretArn": arn("secretsmanager", "eu-west-1", "secret:s"),
            "policy": policy({"AWS": f"arn:aws:iam::{OWN}:role/app"}),
        },
    ),
    "vpc-endpoint-service-regions": pair(
        "aws:ec2/vpcEndpointService:VpcEndpointService",
        "svc",
        {
            "acceptanceRequired": True,
            "supportedRegions": ["us-east-1"],
            "allowedPrincipals": [f"arn:aws:iam::{OWN}:root"],
        },
        {
            "acceptanceRequired": True,
            "supportedRegions": ["eu-central-1"],
            "allowedPrincipals": [f"arn:aws:iam::{OWN}:root"],
        },
    ),
    "flow-log-destination": pair(
        "aws:ec2/flowLog:FlowLog",
        "flow",
        {"vpcId": "vpc-1", "trafficType": "ALL", "logDestination": arn("logs", "us-east-1", "log-group:flows")},
        {"vpcId": "vpc-1", "trafficType": "ALL", "logDestination": arn("logs", "eu-west-1", "log-group:flows")},
    ),
    "trail-bucket-outside-the-program": CASES["transfer-bucket-destination"],
    "cloudformation-stack": (
        [Res(CFN_TOKEN, "other-stack", {"templateBody": "{}"})],
        [Res(CFN_TOKEN, "vendor-stack", {"templateBody": "{}"})],
    ),
    # A dynamic provider's code runs at deployment: blocked unless an assessment names the resource.
    "dynamic-provider": (
        [
            Res("pulumi:providers:pulumi-python", "dynamic"),
            Res(DYNAMIC_TOKEN, "exporter", {"__provider": "gASV...", "target": "records"}, provider="dynamic"),
            Res("pulumi:providers:pulumi-nodejs", "dynamic-js"),
            Res("pulumi-nodejs:dynamic:Resource", "js-exporter", {"__provider": "exports..."}, provider="dynamic-js"),
        ],
        [
            Res("pulumi:providers:pulumi-python", "dynamic"),
            Res(DYNAMIC_TOKEN, "reviewed-tagger", {"__provider": "gASV...", "tag": "x"}, provider="dynamic"),
        ],
    ),
    # Another provider's resources and its provider: unknown, unless an assessment names the provider.
    "other-provider-package": (
        [
            Res("pulumi:providers:mongodbatlas", "atlas"),
            Res("mongodbatlas:index/cluster:Cluster", "records", {"providerRegionName": "EU_WEST_1"}, provider="atlas"),
        ],
        [
            Res("pulumi:providers:snowflake", "warehouse"),
            Res("snowflake:index/database:Database", "metrics", {"name": "metrics"}, provider="warehouse"),
            Res("pulumi:providers:random", "random"),
            Res("random:index/randomPassword:RandomPassword", "pw", {"length": 24}, provider="random"),
        ],
    ),
    # A multi-language component, as the offline run registers it (with its package's provider: the plugin
    # that would construct its children, which are never seen); a local component (no provider) holds nothing.
    "remote-component": (
        [
            Res("pulumi:providers:awsx", "awsx"),
            Res("awsx:ec2:Vpc", "network", {"cidrBlock": "10.0.0.0/16"}, provider="awsx"),
        ],
        [Res("acme:network:Network", "network"), Res("aws:sqs/queue:Queue", "events")],
    ),
    "unclassified-type": (
        [Res("aws:newservice/dataLake:DataLake", "lake", {})],
        [Res("aws:s3/bucket:Bucket", "lake", {"bucket": "lake"})],
    ),
    "lambda-environment-reference": pair(
        "aws:lambda/function:Function",
        "fn",
        {
            "role": f"arn:aws:iam::{OWN}:role/f",
            "environment": {"variables": {"QUEUE": "https://sqs.us-east-1.amazonaws.com/111111111101/q"}},
        },
        {
            "role": f"arn:aws:iam::{OWN}:role/f",
            "environment": {"variables": {"QUEUE": "https://sqs.eu-west-1.amazonaws.com/111111111101/q"}},
        },
    ),
}

# Programs that keep data in the jurisdiction, which the gate must not block (issue 9, "done when").
KEEPS_DATA_IN: dict[str, Case] = {
    "iam-role-and-policy": [
        Res("aws:iam/role:Role", "role", {"assumeRolePolicy": policy({"Service": "lambda.amazonaws.com"})}),
        Res(
            "aws:iam/policy:Policy",
            "p",
            {
                "policy": json.dumps(
                    {"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::x-us/*"}]}
                )
            },
        ),
    ],
    "route53-zone-and-record": [
        Res("aws:route53/zone:Zone", "zone", {"name": "enclave.example.com"}),
        Res(
            "aws:route53/record:Record",
            "rec",
            {"zoneId": "Z1", "name": "api", "type": "CNAME", "records": ["x.us-east-1.elb.amazonaws.com"]},
        ),
    ],
    "dynamodb-table-replicated-inside-the-eu": [
        Res("aws:dynamodb/table:Table", "t", {"hashKey": "id", "replicas": [{"regionName": "eu-central-1"}]}),
    ],
    "inbound-ebs-snapshot-copy": [
        Res("aws:ebs/snapshotCopy:SnapshotCopy", "copy", {"sourceSnapshotId": "snap-1", "sourceRegion": "us-east-1"}),
    ],
}
