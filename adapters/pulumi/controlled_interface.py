"""Program facts for the controlled interface: engineers' test data is made, guarded, and written by one writer.

An enclave program is one with a bucket tagged ``enclave-data`` (``records`` or ``test-data``) or a
``RegionalEnclave`` component. For it, three ControlState facts on its test-data bucket (or, when it has
none, on the enclave itself):

- ``test-data-pipeline``: a Lambda function tagged ``enclave-part = deidentify`` whose role is declared in the
  program, and a Secrets Manager secret tagged ``enclave-part = pseudonym-key`` without replicas and with a
  SecretRotation;
- ``test-data-guard``: a Macie classification job that names the test-data bucket, and an EventBridge rule on
  ``aws.macie`` events with a target;
- ``test-data-single-writer``: the bucket policy denies object writes outside ``query-results/`` to every
  principal but exactly one, the pipeline's role; and nothing else in the program writes there: no IAM
  policy grants another role s3:PutObject on the bucket (except writes limited to ``query-results/`` through
  Athena), no object is uploaded into it, no replication targets it.

Values unknown during preview raise ``UnknownValueError`` (the pack then runs these rules at update).
"""

from __future__ import annotations

import fnmatch
import json
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from adapters.pulumi.program import BUCKET_TYPES, ProgramResource
from adapters.pulumi.resources import get_path, items, text
from residency.data_tags import ENCLAVE_DATA_TAG, TEST_DATA
from residency.model import ControlState

PART_TAG = "enclave-part"
ENCLAVE_COMPONENT = "enclave:components:RegionalEnclave"
FUNCTION = "aws:lambda/function:Function"
ROLE = "aws:iam/role:Role"
SECRET = "aws:secretsmanager/secret:Secret"
ROTATION = "aws:secretsmanager/secretRotation:SecretRotation"
MACIE_JOB = "aws:macie2/classificationJob:ClassificationJob"
EVENT_RULE = "aws:cloudwatch/eventRule:EventRule"
EVENT_TARGET = "aws:cloudwatch/eventTarget:EventTarget"
BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy"
IDENTITY_POLICIES = ("aws:iam/rolePolicy:RolePolicy", "aws:iam/policy:Policy")
OBJECT_UPLOADS = ("aws:s3/bucketObject:BucketObject", "aws:s3/bucketObjectv2:BucketObjectv2")
QUERY_RESULTS = "query-results/"
PIPELINE, GUARD, SINGLE_WRITER = "test-data-pipeline", "test-data-guard", "test-data-single-writer"


def _tag(r: ProgramResource, key: str) -> str | None:
    return text(get_path(r.view.props, "tags", key))


def _depends_on(r: ProgramResource, prop: str, target: ProgramResource) -> bool:
    return target.view.urn in r.property_dependencies.get(prop, ())


def _bucket_arn(bucket: ProgramResource) -> str:
    """The bucket's ARN from its name (S3 forms it so): the name is known at preview, the ``arn`` output is not."""
    return f"arn:aws:s3:::{text(get_path(bucket.view.props, 'bucket'))}"


def _names(bucket: ProgramResource) -> set[str]:
    name = text(get_path(bucket.view.props, "bucket"))
    return {name, _bucket_arn(bucket)} if name else set()


def _document(r: ProgramResource, prop: str = "policy") -> list[Mapping[str, Any]]:
    raw = get_path(r.view.props, prop)
    doc = json.loads(raw) if isinstance(raw, str) else raw
    statements = doc.get("Statement", []) if isinstance(doc, Mapping) else []
    return [s for s in (statements if isinstance(statements, list) else [statements]) if isinstance(s, Mapping)]


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else [value]


def _writes_objects(statement: Mapping[str, Any]) -> bool:
    return any(fnmatch.fnmatchcase("s3:putobject", str(a).lower()) for a in _as_list(statement.get("Action", [])))


def _pipeline_role(resources: Sequence[ProgramResource]) -> tuple[ProgramResource | None, str | None]:
    """The pipeline function and its role's name (None when either is missing)."""
    functions = [r for r in resources if r.view.type == FUNCTION and _tag(r, PART_TAG) == "deidentify"]
    if not functions:
        return None, None
    roles = [r for r in resources if r.view.type == ROLE and _depends_on(functions[0], "role", r)]
    return functions[0], text(get_path(roles[0].view.props, "name")) if roles else None


def _pipeline(resources: Sequence[ProgramResource], role_name: str | None) -> tuple[bool, str]:
    if role_name is None:
        return False, "no Lambda function tagged enclave-part=deidentify with a role declared in the program"
    secrets = [r for r in resources if r.view.type == SECRET and _tag(r, PART_TAG) == "pseudonym-key"]
    if not secrets:
        return False, "no Secrets Manager secret tagged enclave-part=pseudonym-key"
    secret = secrets[0]
    if items(get_path(secret.view.props, "replicas")):
        return False, f"the pseudonymisation secret {secret.view.name} has replicas"
    if not any(r.view.type == ROTATION and _depends_on(r, "secretId", secret) for r in resources):
        return False, f"the pseudonymisation secret {secret.view.name} has no SecretRotation"
    return True, f"pipeline role {role_name}, rotated secret {secret.view.name}"


def _guard(resources: Sequence[ProgramResource], bucket: ProgramResource) -> tuple[bool, str]:
    names = _names(bucket)
    jobs = [
        r
        for r in resources
        if r.view.type == MACIE_JOB
        and (
            _depends_on(r, "s3JobDefinition", bucket)
            or any(
                b in names
                for d in items(get_path(r.view.props, "s3JobDefinition", "bucketDefinitions"))
                for b in items(get_path(d, "buckets"))
            )
        )
    ]
    if not jobs:
        return False, "no Macie classification job scans the test-data bucket"
    rules = [
        r for r in resources if r.view.type == EVENT_RULE and "aws.macie" in str(get_path(r.view.props, "eventPattern"))
    ]
    alarmed = [r for r in rules if any(t.view.type == EVENT_TARGET and _depends_on(t, "rule", r) for t in resources)]
    if not alarmed:
        return False, "no EventBridge rule with a target raises an alarm on Macie findings"
    return True, f"Macie job {jobs[0].view.name}, alarm rule {alarmed[0].view.name}"


def _policy_writers(resources: Sequence[ProgramResource], bucket: ProgramResource) -> list[str] | None:
    """The principals the bucket policy exempts from its deny of object writes outside query-results/."""
    for policy in (r for r in resources if r.view.type == BUCKET_POLICY and _depends_on(r, "bucket", bucket)):
        for s in _document(policy):
            resource = " ".join(str(x) for x in _as_list(s.get("NotResource", "")))
            if s.get("Effect") == "Deny" and _writes_objects(s) and QUERY_RESULTS in resource:
                exempt = get_path(s, "Condition", "ArnNotEquals", "aws:PrincipalArn")
                return [str(p) for p in _as_list(exempt)] if exempt is not None else []
    return None


def _covers(resource: str, bucket_arn: str) -> bool:
    """Whether an IAM Resource pattern reaches objects of the bucket (wildcards included)."""
    return fnmatch.fnmatchcase(f"{bucket_arn}/any-object", resource) or resource.startswith(f"{bucket_arn}/")


def _other_writers(resources: Sequence[ProgramResource], bucket: ProgramResource, role_name: str) -> list[str]:
    found: list[str] = []
    bucket_arn = _bucket_arn(bucket)
    for r in resources:
        if r.view.type in OBJECT_UPLOADS and _depends_on(r, "bucket", bucket):
            found.append(f"{r.view.name} uploads objects into it")
        if r.view.type in IDENTITY_POLICIES and _depends_on(r, "policy", bucket):
            roles = [x for x in resources if x.view.type == ROLE and _depends_on(r, "role", x)]
            if roles and text(get_path(roles[0].view.props, "name")) == role_name:
                continue
            for s in _document(r):
                if not (s.get("Effect") == "Allow" and _writes_objects(s)):
                    continue
                targets = [str(x) for x in _as_list(s.get("Resource", []))]
                on_bucket = [t for t in targets if _covers(t, bucket_arn)]
                via_athena = "athena.amazonaws.com" in json.dumps(s.get("Condition", {}))
                if on_bucket and not (
                    via_athena and all(t.startswith(f"{bucket_arn}/{QUERY_RESULTS}") for t in on_bucket)
                ):
                    found.append(f"{r.view.name} grants object writes")
        linked = {u for deps in r.property_dependencies.values() for u in deps}
        if "replication" in r.view.type.lower() and bucket.view.urn in linked and not _depends_on(r, "bucket", bucket):
            found.append(f"{r.view.name} replicates into it")
    return found


def _single_writer(
    resources: Sequence[ProgramResource], bucket: ProgramResource, role_name: str | None
) -> tuple[bool, str]:
    writers = _policy_writers(resources, bucket)
    if writers is None:
        return False, "no bucket policy denies object writes outside query-results/ to all but the pipeline"
    if role_name is None or len(writers) != 1 or not writers[0].endswith(f":role/{role_name}"):
        return False, f"the bucket policy lets {writers or 'nobody'} write test data; only the pipeline role may"
    others = _other_writers(resources, bucket, role_name)
    if others:
        return False, f"a second writer: {others[0]}"
    return True, f"only {writers[0]} writes test data"


def interface_facts(resources: Sequence[ProgramResource]) -> Iterator[ControlState]:
    buckets = [r for r in resources if r.view.type in BUCKET_TYPES and _tag(r, ENCLAVE_DATA_TAG)]
    enclaves = [r for r in resources if r.view.type == ENCLAVE_COMPONENT]
    if not buckets and not enclaves:
        return  # not an enclave program
    testdata = [b for b in buckets if _tag(b, ENCLAVE_DATA_TAG) == TEST_DATA]
    if not testdata:
        subject = (enclaves or buckets)[0].view
        for control in (PIPELINE, GUARD, SINGLE_WRITER):
            yield ControlState(
                control, subject.urn, subject.type, subject.region, False, "the enclave has no test-data bucket"
            )
        return
    _, role_name = _pipeline_role(resources)
    for bucket in testdata:
        v = bucket.view
        for control, (ok, detail) in (
            (PIPELINE, _pipeline(resources, role_name)),
            (GUARD, _guard(resources, bucket)),
            (SINGLE_WRITER, _single_writer(resources, bucket, role_name)),
        ):
            yield ControlState(control, v.urn, v.type, v.region, ok, detail)
