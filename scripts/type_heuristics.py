"""Heuristics that draft one catalogue entry per resource type (used by generate_type_catalogue.py).

They only draft: the classes that matter (data stores, replication, copies, exports, subscriptions, targets,
delivery, sharing, grants, policies) are reviewed by a person and marked ``reviewed = true``. A wrong draft
fails safe in one direction only: every input of a non-control-plane type is searched for destinations
whatever its class, so a draft that says holds-data where moves-data is right still judges every
destination; the named properties add the direction (``in``) and the vector.
"""

from __future__ import annotations

import re
from typing import Any

# Global AWS services: no region, no user data; their resources are configuration.
GLOBAL_MODULE_REASONS: dict[str, str] = {
    "iam": "IAM identities and identity policies are global configuration; trust policies are judged as grants",
    "organizations": "organisation structure and policies; no user data",
    "route53": "DNS zones and records are global configuration, not user data",
    "route53domains": "domain registrations; no user data",
    "budgets": "account cost budgets; no user data",
    "costexplorer": "cost categories and anomaly monitors; billing metadata only",
    "account": "account contacts and region opt-in; no user data",
    "globalaccelerator": "anycast routing configuration; the endpoints it routes to are judged where they are placed",
    "waf": "WAF Classic rules (global, for CloudFront); no user data",
    "shield": "Shield Advanced subscriptions and protections; no user data",
    "cloudfront": "CloudFront configuration (policies, functions, access controls); edge caching is judged on the distribution",
    "savingsplans": "billing commitments; no user data",
    "invoicing": "invoice units; billing metadata only",
    "billing": "billing views; billing metadata only",
    "costoptimizationhub": "cost recommendations preferences; billing metadata only",
    "pricingplanmanager": "pricing plans; billing metadata only",
    "servicequotas": "service quota requests; no user data",
    "controltower": "landing-zone controls; configuration only",
}
# Regional, but configuration only (no user data, no data path of its own).
REGIONAL_CONTROL_MODULES: dict[str, str] = {
    "appautoscaling": "scaling policies and targets: capacity configuration only",
    "autoscalingplans": "scaling plans: capacity configuration only",
    "resourcegroups": "resource groups: tag queries only",
    "computeoptimizer": "recommendation preferences: configuration only",
    "servicequotas": "service quota requests; no user data",
}

MOVES_NAME = re.compile(
    r"(Subscription|Target(?!Group)|Destination|Replication|Replica|Copy|Export|Delivery|DeliveryStream|Pipe$|"
    r"Forward|Peering|Share|Datashare|DataShare|ApiDestination|Connector|Integration$|Mirror|TopicRule|Replicator|"
    r"Task$|Transfer|Stream$|StackSet|Stack$|LogDestination|SubscriptionFilter|Aggregator|Aggregation)"
)
MOVES_DOC = re.compile(r"(?i)\b(replicat\w*|copies|copy of|export\w*|deliver\w*|forward\w*|subscri\w*|share\w*)\b")
GRANTS_NAME = re.compile(
    r"(Policy$|Permission$|Permissions$|Grant$|PrincipalAssociation|Invitation|Association$|LaunchPermission|"
    r"CreateVolumePermission|Authorization$|Consumer)"
)
OUT_PROP = re.compile(
    r"^(destination\w*|target(?!Group|Capacity|Type|Tracking|Value|Port)\w*|endpoint|endpointUrl|url|uri|"
    r"\w+DestinationArn|\w+Destination|deliveryS3\w*|deadLetter\w*|redrivePolicy|sharedAccounts|regions|"
    r"peerRegion|peerOwnerId|peerAccountId|regionName|replicas?|replicationConfiguration|snsTopicArn|topicArn|"
    r"queueArn|streamArn|kinesisStreamArn|httpEndpointConfiguration|s3Configuration|extendedS3Configuration|"
    r"redshiftConfiguration|splunkConfiguration|templateUrl|templateBody|templateS3Uri|accounts|"
    r"copyActions|crossRegionCopyRules?|logDestination|s3BucketName|targetBucket|cloudWatchLogsGroupArn)$"
)
IN_PROP = re.compile(
    r"^(source\w*|replicateSourceDb|replicationSourceIdentifier|primaryKeyArn|globalTableArn|eventSourceArn)$"
)
PRINCIPAL_PROP = re.compile(
    r"^(policy|accessPolicy|accessPolicies|resourcePolicy|policyDocument|assumeRolePolicy|principal|principals|"
    r"principalArn|accountIds?|awsAccountIds?|sharedAccounts|userIds?|group|allowedPrincipals|servicePrincipal|"
    r"externalPrincipals|redriveAllowPolicy|createVolumePermissions?|launchPermission|grantee\w*|"
    r"organizationArn|organizationalUnitArn|consumerAccountId|ownerAccountId)$"
)

# Which vector labels a moves-data or grants-access type's findings, by module and then by name.
VECTOR_BY_MODULE = {
    "sns": "messaging-fan-out",
    "sqs": "messaging-fan-out",
    "pipes": "messaging-fan-out",
    "scheduler": "messaging-fan-out",
    "kinesis": "delivery-stream",
    "firehose": "delivery-stream",
    "iot": "delivery-stream",
    "msk": "delivery-stream",
    "mskconnect": "delivery-stream",
    "dms": "migration",
    "datasync": "migration",
    "transfer": "migration",
    "ram": "account-sharing",
    "dataexchange": "account-sharing",
    "cleanrooms": "account-sharing",
    "lakeformation": "account-sharing",
    "cloudformation": "embedded-infrastructure",
    "servicecatalog": "embedded-infrastructure",
}
VECTOR_BY_NAME = (
    (re.compile(r"^Event(Target|Endpoint|ApiDestination|Connection|Permission|BusPolicy)"), "messaging-fan-out"),
    (re.compile(r"Log(Destination|SubscriptionFilter)|DeliveryStream"), "delivery-stream"),
    (re.compile(r"Copy"), "snapshot-copy"),
    (re.compile(r"Share|Datashare|DataShare|LaunchPermission|CreateVolumePermission"), "account-sharing"),
    (re.compile(r"Logging|LogDelivery|AccessLog|FlowLog|Trail$|QueryLog|LogConfig"), "logging-destination"),
    (re.compile(r"Export"), "account-sharing"),
)


def module_of(token: str) -> str:
    return token.split(":")[1].split("/", 1)[0]


def type_name(token: str) -> str:
    return token.rsplit(":", 1)[-1]


def _vector(token: str, default: str | None) -> str | None:
    for pattern, vector in VECTOR_BY_NAME:
        if pattern.search(type_name(token)):
            return vector
    return VECTOR_BY_MODULE.get(module_of(token), default)


def aws_entry(token: str, props: list[str], docs: str) -> dict[str, Any]:
    """A draft entry for a pulumi-aws type from its module, name, input properties and docstring."""
    module, name = module_of(token), type_name(token)
    props = [p for p in props if p not in ("region", "tags", "tagsAll")]
    inbound = [p for p in props if IN_PROP.match(p)]
    outbound = [p for p in props if OUT_PROP.match(p) and p not in inbound]
    principals = [p for p in props if PRINCIPAL_PROP.match(p)]
    grants = bool(principals) and bool(GRANTS_NAME.search(name) or name == "Role")
    regional_part = token.startswith(("aws:route53/resolver", "aws:route53/profiles"))
    # Global modules are configuration; the few grants among them (IAM trust policies, the organisation's
    # resource policy) are reviewed entries.
    if module in GLOBAL_MODULE_REASONS and not regional_part:
        return {"class": "control-plane", "reason": GLOBAL_MODULE_REASONS[module]}
    if module in REGIONAL_CONTROL_MODULES and not (grants or outbound):
        return {"class": "control-plane", "reason": REGIONAL_CONTROL_MODULES[module]}
    entry: dict[str, Any]
    if grants:
        entry = {"class": "grants-access", "vector": _vector(token, "resource-policy"), "principals": principals}
    elif MOVES_NAME.search(name) or (outbound and MOVES_DOC.search(docs[:600])):
        entry = {"class": "moves-data", "vector": _vector(token, "resource-reference"), "out": outbound}
    else:
        entry = {"class": "holds-data", "out": outbound}
    entry["in"] = inbound
    if entry["class"] != "grants-access" and principals:
        entry["principals"] = principals
    return entry


# Kubernetes: the class follows the object's kind (List and Patch variants take their item's class).
K8S_HOLDS = {
    "Pod", "PodTemplate", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job",
    "CronJob", "ConfigMap", "Secret", "PersistentVolume", "PersistentVolumeClaim", "StorageClass",
    "VolumeAttachment", "CSIDriver", "CSINode", "CSIStorageCapacity", "VolumeAttributesClass", "ResourceClaim",
    "ResourceClaimTemplate", "ResourceSlice", "DeviceClass",
}  # fmt: skip
K8S_MOVES = {
    "Service": (["spec.externalName", "spec.externalIPs"], "resource-reference"),
    "Endpoints": (["subsets"], "resource-reference"),
    "EndpointSlice": (["endpoints"], "resource-reference"),
    "MutatingWebhookConfiguration": (["webhooks"], "resource-reference"),
    "ValidatingWebhookConfiguration": (["webhooks"], "resource-reference"),
    "APIService": (["spec.service"], "resource-reference"),
    "CustomResourceDefinition": (["spec.conversion"], "resource-reference"),
    "AuditSink": (["spec.webhook"], "logging-destination"),
    "Ingress": (["spec"], "resource-reference"),
}
K8S_GRANTS = {"Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding", "ServiceAccount", "ClusterTrustBundle"}
# Container images are pulled into the cluster: an image registry outside AWS is inbound, not a destination.
K8S_INBOUND = ["**.image", "**.initContainers.*.image", "**.ephemeralContainers.*.image"]


def kubernetes_entry(token: str, props: list[str], docs: str) -> dict[str, Any]:
    """A draft entry for a pulumi-kubernetes type from its kind."""
    kind = re.sub(r"(List|Patch)$", "", type_name(token))
    if token.startswith("kubernetes:helm.sh/") or token.startswith("kubernetes:kustomize") or ":yaml" in token:
        return {
            "class": "moves-data",
            "vector": "embedded-infrastructure",
            "out": ["**"],
            "reason": "renders objects the pack does not see one by one",
        }
    if kind in K8S_HOLDS:
        return {"class": "holds-data", "in": K8S_INBOUND}
    if kind in K8S_MOVES:
        out, vector = K8S_MOVES[kind]
        return {"class": "moves-data", "vector": vector, "out": out, "in": K8S_INBOUND}
    if kind in K8S_GRANTS:
        # Subjects are the cluster's own users, groups and service accounts; an annotated IAM role ARN is
        # judged like any other value.
        return {"class": "grants-access", "vector": "resource-policy", "principals": []}
    return {
        "class": "control-plane",
        "reason": f"Kubernetes {kind}: cluster configuration (scheduling, policy, quotas, API machinery); no user data",
    }
