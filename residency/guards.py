"""Which resource types enforce a guard, and so must be protected (issue 10).

A guard is a resource whose deletion weakens the enclave: it switches off encryption, versioning, object lock,
a bucket or key policy, the trail, flow logs, an alarm, a boundary, a trust policy, an endpoint policy or a
default-deny rule. Pulumi deletes a resource when it is renamed, replaced, removed from the program or destroyed;
``protect`` makes every one of those stop with an error, and ``destroy --exclude-protected`` leaves it.
Guards of a retained store (a bucket's settings, the trail, the flow log, the boundary) are also retained, so
the store that outlives the stack keeps them.

Every resource type the shipped stacks create is listed here, as a guard or as not a guard with the reason:
tests/components/test_guards_protected.py fails on a type that is in neither list, so a new type is a decision.
Pure data: no pulumi, no boto3.
"""

from __future__ import annotations

# type -> what it guards
GUARD_TYPES: dict[str, str] = {
    "aws:s3/bucket:Bucket": "the store itself (user records, test data, audit evidence)",
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": "SSE-KMS under the enclave key",
    "aws:s3/bucketVersioning:BucketVersioning": "versioning (deleting the resource suspends it)",
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": "the four public-access blocks",
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": "BucketOwnerEnforced (no ACLs)",
    "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration": "COMPLIANCE-mode default retention",
    "aws:s3/bucketPolicy:BucketPolicy": "TLS only, enclave principals only, readers only, the enclave network only",
    "aws:s3/accessPoint:AccessPoint": "the records bucket's only door: VPC network origin, public access blocked",
    "aws:kms/key:Key": "the key and its policy (who may use it, through which service)",
    "aws:kms/alias:Alias": "the name the deploy role's boundary and the SCP find the enclave keys by",
    "aws:cloudtrail/trail:Trail": "the multi-Region trail into the locked bucket",
    "aws:cloudwatch/logGroup:LogGroup": "flow-log and control-plane evidence, encrypted and retained",
    "aws:ec2/flowLog:FlowLog": "the record of the VPC's traffic",
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": "the default group stays without rules",
    "aws:ec2/securityGroup:SecurityGroup": "HTTPS from the VPC only (endpoints, EKS API)",
    "aws:ec2/vpcEndpoint:VpcEndpoint": "the data perimeter: endpoint policies admit the account's principals only",
    "aws:ec2/launchTemplate:LaunchTemplate": "IMDSv2 and encrypted node volumes",
    "aws:iam/policy:Policy": "a permissions boundary (what any role can ever do)",
    "aws:iam/role:Role": "a trust policy (MFA, jurisdiction tag, named principals, OIDC subject) and its boundary",
    "aws:iam/rolePolicy:RolePolicy": "a role's explicit denies (user records, keys)",
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": "the only way CI reaches the deploy role",
    "aws:cloudwatch/eventRule:EventRule": "an alarm (break-glass, guardrail and policy changes)",
    "aws:cloudwatch/eventTarget:EventTarget": "an alarm's delivery",
    "aws:sns/topic:Topic": "the encrypted alarm topic",
    "aws:sns/topicPolicy:TopicPolicy": "who may publish alarms",
    "aws:organizations/policy:Policy": "a service control policy",
    "aws:organizations/policyAttachment:PolicyAttachment": "an SCP's attachment to its OU",
    "aws:eks/cluster:Cluster": "the cluster (private endpoint, secrets encryption, logs)",
    "kubernetes:core/v1:Namespace": "restricted pod security; deleting a namespace deletes its workloads",
    "kubernetes:networking.k8s.io/v1:NetworkPolicy": "default-deny traffic between and out of namespaces",
    "kubernetes:storage.k8s.io/v1:StorageClass": "encrypted volumes under the enclave's Kubernetes key",
    "aws:secretsmanager/secret:Secret": "the pseudonymisation key, under the records key (a store: retained)",
    "aws:secretsmanager/secretRotation:SecretRotation": "the pseudonymisation key's rotation",
    "aws:macie2/account:Account": "Macie, which looks for personal data in the test data",
    "aws:macie2/classificationJob:ClassificationJob": "the daily scan of the test-data bucket for personal data",
    "aws:athena/workgroup:Workgroup": "the enforced research workgroup (encrypted results, scan limit, one location)",
    "aws:cfg/recorder:Recorder": "AWS Config records every change in the account (continuous oversight)",
    "aws:cfg/recorderStatus:RecorderStatus": "the recorder is on",
    "aws:cfg/deliveryChannel:DeliveryChannel": "Config's history goes to the enclave's locked bucket",
    "aws:cfg/rule:Rule": "the core's rules judge every change (one Config rule per rule family)",
    "aws:iam/serviceLinkedRole:ServiceLinkedRole": "AWS Config's own role; recording stops without it",
    "aws:securityhub/account:Account": "Security Hub, which receives the enclave's findings",
    # Stores the shipped stacks do not create, held to the same rule wherever a stack declares them.
    "aws:s3/bucketV2:BucketV2": "a store",
    "aws:dynamodb/table:Table": "a store",
    "aws:rds/instance:Instance": "a store",
    "aws:rds/cluster:Cluster": "a store",
    "aws:efs/fileSystem:FileSystem": "a store",
    "aws:ebs/volume:Volume": "a store",
    "aws:ecr/repository:Repository": "a store (images)",
}
# Stores, and the guards of stores, that outlive the stack: also retained on delete. The pack holds every stack
# to protecting these; the other guard types only in an enclave program (where they are the enclave's guards).
RETAINED_GUARD_TYPES: frozenset[str] = frozenset(
    {
        "aws:s3/bucket:Bucket",
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "aws:s3/bucketVersioning:BucketVersioning",
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
        "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
        "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
        "aws:s3/bucketPolicy:BucketPolicy",
        "aws:kms/key:Key",
        "aws:cloudtrail/trail:Trail",
        "aws:cloudwatch/logGroup:LogGroup",
        "aws:ec2/flowLog:FlowLog",
        "aws:secretsmanager/secret:Secret",
        "aws:s3/bucketV2:BucketV2",
        "aws:dynamodb/table:Table",
        "aws:rds/instance:Instance",
        "aws:rds/cluster:Cluster",
        "aws:efs/fileSystem:FileSystem",
        "aws:ebs/volume:Volume",
        "aws:ecr/repository:Repository",
    }
)
# type -> why deleting it weakens nothing
NOT_GUARD_TYPES: dict[str, str] = {
    "aws:ec2/vpc:Vpc": "the network; it cannot be deleted while its protected endpoints and groups exist",
    "aws:ec2/subnet:Subnet": "private addressing; routing to the internet is what the pack's gateway rule blocks",
    "aws:ec2/routeTable:RouteTable": "private routes only; deleting one removes reachability, never adds it",
    "aws:ec2/routeTableAssociation:RouteTableAssociation": "as the route table",
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": "grants AWS managed policies to EKS roles; deleting removes access",
    "aws:eks/accessEntry:AccessEntry": "grants cluster access; deleting removes access",
    "aws:eks/accessPolicyAssociation:AccessPolicyAssociation": "grants cluster access; deleting removes access",
    "aws:eks/addon:Addon": "cluster software (Pod Identity, EBS CSI); its volumes are encrypted by the storage class",
    "aws:eks/nodeGroup:NodeGroup": "compute; its launch template (a guard) holds the node settings",
    "kubernetes:core/v1:ResourceQuota": "capacity, not access",
    "kubernetes:core/v1:LimitRange": "capacity, not access",
    "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole": "grants; deleting removes access",
    "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding": "grants; deleting removes access",
    "aws:lambda/function:Function": "compute (the pipeline, the audit's handlers); the pack requires the pipeline",
    "aws:lambda/layerVersion:LayerVersion": "the functions' libraries; a new version replaces it on every change",
    "aws:lambda/permission:Permission": "lets Secrets Manager or AWS Config invoke a function; deleting removes access",
    "aws:scheduler/schedule:Schedule": "when the pipeline or the evidence run runs, not who may reach data",
    "aws:glue/catalogDatabase:CatalogDatabase": "table metadata; the test data is in its protected bucket",
    "pulumi:providers:aws": "a provider holds no cloud resource",
    "pulumi:providers:kubernetes": "a provider holds no cloud resource",
}
# Component resources (``enclave:components:*``) hold no cloud resource of their own.
COMPONENT_PREFIX = "enclave:components:"


def is_guard(resource_type: str) -> bool:
    return resource_type in GUARD_TYPES


def must_retain(resource_type: str) -> bool:
    return resource_type in RETAINED_GUARD_TYPES
