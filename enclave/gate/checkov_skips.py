"""Justified checkov skips: a failed check counts as skipped only with a written reason, shown in every report.

checkov honours skip comments only in source files it parses, and it never sees a Pulumi program's source.
So a skip is either
- a tag on the resource itself, next to it in the program: ``checkov:skip:<CHECK_ID>`` = ``<reason>``
  (AWS tag keys allow ``:``; the reason is the tag value and is deployed with the resource), or
- an entry in ``REVIEWED_SKIPS`` below, for checks that contradict residency itself or that this project's
  components meet another way. Each entry names the check, the Pulumi type, the component that must be the
  resource's parent, and the reason; changing this table is a reviewed change to the gate.
A skip without a reason is not a skip: the finding stays a failure.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from enclave.offline.model import CapturedResource

SKIP_TAG_PREFIX = "checkov:skip:"


@dataclass(frozen=True)
class JustifiedSkip:
    check_id: str
    resource_type: str  # a Pulumi type token
    # The component type that must be the resource's parent ("*": any), so a skip written for this project's
    # components never silences the same check on someone else's resource.
    component: str
    reason: str


_BUCKET = "aws:s3/bucket:Bucket"
_TRAIL = "aws:cloudtrail/trail:Trail"
_SECURE_BUCKET = "enclave:components:SecureBucket"
_OVERSIGHT = "enclave:components:EnclaveOversight"
_ACCESS = "enclave:components:EnclaveAccess"
_BOUNDARY = "enclave:components:EnclaveBoundary"
_CONTINUOUS = "enclave:components:EnclaveContinuousAudit"
_EXTERNAL = "enclave:components:ExternalAuditorAccess"
_FUNCTION = "aws:lambda/function:Function"
_BOUNDARY_REASON = (
    "A permissions boundary is a ceiling, not a grant: it allows data actions only on this account's resources "
    "(aws:ResourceAccount) and denies every region outside the jurisdiction; each role's own policy grants the "
    "resource-scoped permissions."
)

_TEST_DATA = "enclave:components:TestDataPipeline"
_NETWORK_INTERFACE_REASON = (
    "The de-identification functions run in the enclave's private subnets: Lambda creates and deletes their network "
    "interfaces, whose ARNs are not known in advance, so these EC2 actions take Resource '*' (as AWS's own "
    "AWSLambdaVPCAccessExecutionRole grants them); the boundary allows them to these roles only. Every other "
    "statement names the secret, buckets or log group."
)

_DEPLOY_ROLES = "enclave:components:DeployRoles"
_DEPLOY_REASON = (
    "The deploy role creates the whole enclave (IAM roles, keys, buckets, policies), so its grant and ceiling name "
    "the enclave's services. What it may never do is denied explicitly by its boundary and the identity-guard SCP: "
    "objects of enclave buckets, data keys of enclave keys, assuming the people's roles, roles without an enclave "
    "boundary, users, the jurisdiction tag, changing itself (components/deploy_role.py, tests/governance/"
    "test_deploy_role.py). Only the CI of the stack's protected environment and break-glass can assume it."
)

REVIEWED_SKIPS: tuple[JustifiedSkip, ...] = (
    JustifiedSkip(
        "CKV_AWS_144",
        _BUCKET,
        "*",
        "Cross-region replication copies data to another region; residency forbids copies outside the jurisdiction "
        "(rule transfer-s3-replication). Durability comes from S3's multi-AZ storage and versioning in the home region.",
    ),
    JustifiedSkip(
        "CKV_AWS_18",
        _BUCKET,
        _SECURE_BUCKET,
        "Object-level access to enclave buckets is recorded by the trail's S3 data events in the object-locked audit "
        "bucket. S3 server access logs cannot be delivered to a bucket with SSE-KMS default encryption, which every "
        "enclave bucket has by design.",
    ),
    JustifiedSkip(
        "CKV2_AWS_62",
        _BUCKET,
        _SECURE_BUCKET,
        "Object activity is recorded by CloudTrail data events; event notifications would copy object keys to another "
        "service without adding oversight.",
    ),
    JustifiedSkip(
        "CKV2_AWS_61",
        _BUCKET,
        _SECURE_BUCKET,
        "Enclave buckets hold user records and audit evidence whose retention is set by the data controller and by "
        "object lock; a lifecycle rule that expires objects would delete them outside that decision.",
    ),
    JustifiedSkip(
        "CKV_AWS_252",
        _TRAIL,
        _OVERSIGHT,
        "Delivery notifications add nothing here: break-glass use is alarmed by EventBridge rules on CloudTrail "
        "events (EnclaveAccess) and tampering is detected by log-file validation.",
    ),
    JustifiedSkip(
        "CKV2_AWS_10",
        _TRAIL,
        _OVERSIGHT,
        "Alarms use EventBridge rules on CloudTrail events, not CloudWatch Logs metric filters; evidence is kept only "
        "in the object-locked audit bucket, not copied to a second, mutable log store.",
    ),
    JustifiedSkip(
        "CKV_AWS_61",
        "aws:iam/role:Role",
        _ACCESS,
        "Trust is the enclave's own account only, narrowed by aws:MultiFactorAuthPresent and "
        "aws:PrincipalTag/jurisdiction conditions, which this check does not read.",
    ),
    JustifiedSkip(
        "CKV_AWS_355",
        "aws:iam/rolePolicy:RolePolicy",
        _ACCESS,
        'Only the ReadConfiguration statement uses "*": read-only Describe/Get/List actions that audit needs on every '
        "resource. Data actions are scoped to the enclave's buckets and keys.",
    ),
    JustifiedSkip("CKV_AWS_355", "aws:iam/policy:Policy", _BOUNDARY, _BOUNDARY_REASON),
    JustifiedSkip("CKV_AWS_355", "aws:iam/rolePolicy:RolePolicy", _TEST_DATA, _NETWORK_INTERFACE_REASON),
    JustifiedSkip("CKV_AWS_290", "aws:iam/rolePolicy:RolePolicy", _TEST_DATA, _NETWORK_INTERFACE_REASON),
    JustifiedSkip("CKV_AWS_290", "aws:iam/policy:Policy", _BOUNDARY, _BOUNDARY_REASON),
    # The deploy role runs `pulumi up`: it must create IAM roles, keys, buckets and policies, which every one of
    # these checks reports as privilege escalation, credentials exposure or unconstrained writes.
    *(
        JustifiedSkip(check, token, _DEPLOY_ROLES, _DEPLOY_REASON)
        for check in (
            "CKV_AWS_286",
            "CKV_AWS_287",
            "CKV_AWS_288",
            "CKV_AWS_289",
            "CKV_AWS_290",
            "CKV_AWS_355",
            "CKV2_AWS_40",
        )
        for token in ("aws:iam/policy:Policy", "aws:iam/rolePolicy:RolePolicy")
    ),
    *(
        JustifiedSkip(check, _FUNCTION, _CONTINUOUS, reason)
        for check, reason in (
            (
                "CKV_AWS_117",
                "The functions must reach AWS Config, Security Hub and every region the audit reads; the enclave VPC has "
                "no route out and endpoints only for S3, DynamoDB, KMS, STS and Logs.",
            ),
            (
                "CKV_AWS_116",
                "No event is lost silently: a failed Config rule invocation shows as a rule in error in AWS Config, and a "
                "failed evidence run is retried by the schedule and logged; a dead-letter queue would hold nothing else.",
            ),
            (
                "CKV_AWS_173",
                "The environment holds no secret (jurisdiction, region, bucket name, key ARN). A customer key would need a "
                "KMS grant, which the deploy role may not create (components/keys.py).",
            ),
            (
                "CKV_AWS_272",
                "The code is this repository's own directories, packaged by Pulumi in the reviewed deployment; the deploy "
                "role is the only principal that may change it.",
            ),
            (
                "CKV_AWS_50",
                "X-Ray is a service the permissions boundary does not admit; the functions log to their KMS-encrypted, "
                "retained log groups.",
            ),
        )
    ),
    JustifiedSkip(
        "CKV_AWS_355",
        "aws:iam/rolePolicy:RolePolicy",
        _CONTINUOUS,
        "Only read-only list/describe actions (the live auditor's calls, which list every resource) and "
        'config:PutEvaluations (pinned to the home region) use "*"; evidence writes are scoped to the audit bucket.',
    ),
    JustifiedSkip(
        "CKV_AWS_297",
        "aws:scheduler/schedule:Schedule",
        _CONTINUOUS,
        "The schedule carries no input (the function reads its settings from its environment); a customer key "
        "would protect nothing and would need a KMS grant the deploy role may not create.",
    ),
    JustifiedSkip(
        "CKV_AWS_61",
        "aws:iam/role:Role",
        _EXTERNAL,
        "Trust is one third-party account only, narrowed by an sts:ExternalId condition, which this check does not read.",
    ),
    JustifiedSkip(
        "CKV_AWS_355",
        "aws:iam/rolePolicy:RolePolicy",
        _EXTERNAL,
        'Only read-only list/describe actions use "*"; evidence reads are scoped to the audit and Config-history '
        "buckets, and every user-data object and key is denied.",
    ),
)


def parent_component(urn: str) -> str | None:
    """The type of a resource's parent component, read from its URN's type chain (``parent$type``)."""
    chain = urn.split("::")[2] if urn.count("::") >= 3 else ""
    types = chain.split("$")
    return types[-2] if len(types) >= 2 else None


def _tags(resource: CapturedResource) -> Mapping[str, object]:
    tags = resource.inputs.get("tags")
    return tags if isinstance(tags, Mapping) else {}


def skip_reason(check_id: str, resource: CapturedResource | None) -> str | None:
    """The written reason ``check_id`` does not apply to ``resource``, or None (the failure stands)."""
    if resource is None:
        return None
    tagged = _tags(resource).get(f"{SKIP_TAG_PREFIX}{check_id}")
    if isinstance(tagged, str) and tagged.strip():
        return f"{tagged.strip()} (resource tag)"
    for skip in REVIEWED_SKIPS:
        if (
            skip.check_id == check_id
            and skip.resource_type == resource.type
            and skip.component in ("*", parent_component(resource.urn))
        ):
            return skip.reason
    return None
