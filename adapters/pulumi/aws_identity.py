"""Pulumi resources -> the identity and protection facts of issue 10 (residency/rules/identity.py, hardening.py).

- every IAM role: a RoleTrust (trust policy and maximum session), for ``break-glass-trust`` and
  ``oidc-trust-pinned``;
- every store (and the guards of stores) in any program, and every guard type in an enclave program
  (residency/guards.py): whether it is ``protect``-ed (``guard-protected``);
- the whole program (``identity_facts``): in an enclave program each role's permissions boundary, found
  through the role's ``permissionsBoundary`` input, and in any program the SCPs attached to each organisation target together deny changes of
  the jurisdiction tag (``jurisdiction-tag-guarded``); each
  bucket tagged ``enclave-data=records`` has a policy that requires the enclave's endpoints or access points
  with a VPC network origin (``records-source-vpce``; the access points are read here: ``records_access``).

Values unknown during preview raise ``UnknownValueError`` through the props proxy (the pack reports them).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from adapters.pulumi.controlled_interface import ENCLAVE_COMPONENT
from adapters.pulumi.program import BUCKET_TYPES, ProgramResource
from adapters.pulumi.records_access import program_access_points
from adapters.pulumi.resources import ProgramIndex, ResourceView, UnknownValueError, extractor, get_path, text
from residency.data_tags import ENCLAVE_DATA_TAG, RECORDS, is_records_bucket_name
from residency.guards import GUARD_TYPES, RETAINED_GUARD_TYPES
from residency.model import ControlState, Fact, RoleTrust
from residency.policy_documents import parse_document, statements
from residency.records_network import Verdict, records_network
from residency.rule_ids import GUARD_PROTECTED, JURISDICTION_TAG_GUARDED, RECORDS_SOURCE_VPCE
from residency.rules.identity import tag_guard_gaps

ROLE = "aws:iam/role:Role"
POLICY = "aws:iam/policy:Policy"
BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy"
SCP, SCP_ATTACHMENT = "aws:organizations/policy:Policy", "aws:organizations/policyAttachment:PolicyAttachment"
SCP_TYPE = "SERVICE_CONTROL_POLICY"
# The provider's default maximum session when maxSessionDuration is not set (one hour).
DEFAULT_MAX_SESSION = 3600


def _document_text(raw: Any) -> str | None:
    """The policy as JSON text (a string input, or a mapping the program built); None when absent or not one."""
    if isinstance(raw, str):
        return raw
    document = parse_document(dict(raw)) if isinstance(raw, Mapping) else None
    return json.dumps(document) if document is not None else None


def _role_name(view: ResourceView) -> str:
    # A role without a name input is auto-named from its resource name.
    return text(view.props.get("name")) or view.name


@extractor(ROLE)
def role_trust(view: ResourceView, _: ProgramIndex | None) -> Iterator[Fact]:
    raw_session = view.props.get("maxSessionDuration")
    session = DEFAULT_MAX_SESSION if raw_session is None else raw_session
    yield RoleTrust(
        view.urn,
        view.type,
        view.region,
        _role_name(view),
        _document_text(view.props.get("assumeRolePolicy")),
        int(session) if isinstance(session, int | float) and not isinstance(session, bool) else None,
    )


def _protection(r: ProgramResource) -> ControlState:
    v = r.view
    if v.protect is None:
        detail = "the engine did not say whether it is protected"
    else:
        detail = "protected" if v.protect else "not protected: a rename, replacement or destroy deletes it"
    return ControlState(GUARD_PROTECTED, v.urn, v.type, v.region, v.protect, detail)


def _is_enclave(resources: Sequence[ProgramResource]) -> bool:
    """A RegionalEnclave, or a bucket that says it holds enclave data: its guard types are the enclave's guards."""
    return any(
        r.view.type == ENCLAVE_COMPONENT
        or (r.view.type in BUCKET_TYPES and get_path(r.view.props, "tags", ENCLAVE_DATA_TAG) is not None)
        for r in resources
    )


def _protections(resources: Sequence[ProgramResource]) -> Iterator[ControlState]:
    """Stores (and their guards) in every program; in an enclave program, every guard type."""
    judged = GUARD_TYPES if _is_enclave(resources) else RETAINED_GUARD_TYPES
    for r in resources:
        if r.view.type in judged:
            yield _protection(r)


def _depends_on(r: ProgramResource, prop: str, target: ProgramResource) -> bool:
    return target.view.urn in r.property_dependencies.get(prop, ())


def _boundary_of(role: ProgramResource, policies: Sequence[ProgramResource]) -> ProgramResource | None:
    """The program's policy the role's boundary input refers to: through the input's dependency, or by name."""
    for policy in policies:
        if _depends_on(role, "permissionsBoundary", policy):
            return policy
    arn = text(role.view.props.get("permissionsBoundary")) or ""
    named = [p for p in policies if (name := text(p.view.props.get("name"))) and arn.endswith(f":policy/{name}")]
    return named[0] if named else None


def _tag_guard(role: ProgramResource, policies: Sequence[ProgramResource]) -> ControlState:
    v = role.view

    def state(satisfied: bool | None, detail: str) -> ControlState:
        return ControlState(JURISDICTION_TAG_GUARDED, v.urn, v.type, v.region, satisfied, detail)

    if v.props.get("permissionsBoundary") is None:
        return state(False, "no permissions boundary: nothing stops the role tagging itself into the jurisdiction")
    boundary = _boundary_of(role, policies)
    if boundary is None:
        return state(None, "its permissions boundary is not declared in the program, so it cannot be read")
    document = parse_document(_document_text(boundary.view.props.get("policy")))
    if document is None:
        return state(None, f"the boundary {boundary.view.name} is not a readable policy document")
    gaps = tag_guard_gaps(document)
    return state(not gaps, f"boundary {boundary.view.name}: " + ("; ".join(gaps) or "denies the tag's changes"))


def _attached_to(policy: ProgramResource, bucket: ProgramResource, name: str | None) -> bool:
    """Whether a bucket policy is the bucket's: through its ``bucket`` input's dependency, or by the name.

    At preview another bucket's policy names its bucket by that bucket's unknown id: an unknown computed from
    other resources of the program is theirs, not this bucket's. An unknown from nowhere is raised (UNKNOWN).
    """
    if _depends_on(policy, "bucket", bucket):
        return True
    try:
        return name is not None and text(policy.view.props.get("bucket")) == name
    except UnknownValueError:
        if policy.property_dependencies.get("bucket"):
            return False
        raise


def _records_network(bucket: ProgramResource, resources: Sequence[ProgramResource]) -> ControlState:
    v = bucket.view
    name = text(v.props.get("bucket"))
    attached = [r for r in resources if r.view.type == BUCKET_POLICY and _attached_to(r, bucket, name)]
    if not attached:
        verdict = records_network(None)
    else:
        documents = [parse_document(_document_text(r.view.props.get("policy"))) for r in attached]
        if any(d is None for d in documents):
            return ControlState(RECORDS_SOURCE_VPCE, v.urn, v.type, v.region, None, "a bucket policy is unreadable")
        points = program_access_points(resources, bucket, name)
        verdicts = [records_network(d, name, points) for d in documents]
        verdict = next((x for x in verdicts if x.satisfied), None) or next(
            (x for x in verdicts if x.satisfied is None), verdicts[0]
        )
    return _state(v, verdict)


def _state(v: ResourceView, verdict: Verdict) -> ControlState:
    return ControlState(RECORDS_SOURCE_VPCE, v.urn, v.type, v.region, verdict.satisfied, verdict.detail)


def _holds_records(bucket: ProgramResource) -> bool:
    """Tagged ``enclave-data=records``, or named as the enclave names its records bucket."""
    name = text(bucket.view.props.get("bucket"))
    tagged = get_path(bucket.view.props, "tags", ENCLAVE_DATA_TAG) == RECORDS
    return tagged or (name is not None and is_records_bucket_name(name))


def _scp_tag_guards(resources: Sequence[ProgramResource]) -> Iterator[ControlState]:
    """Each SCP attachment: the SCPs attached to its target together deny changes of the jurisdiction tag."""
    scps = [r for r in resources if r.view.type == SCP and (text(r.view.props.get("type")) or SCP_TYPE) == SCP_TYPE]
    attachments = [r for r in resources if r.view.type == SCP_ATTACHMENT]
    by_target: dict[str, list[ProgramResource]] = {}
    for a in attachments:
        by_target.setdefault(text(a.view.props.get("targetId")) or a.view.urn, []).append(a)
    for target, attached in by_target.items():
        documents = [
            parse_document(_document_text(scp.view.props.get("content")))
            for a in attached
            for scp in scps
            if _depends_on(a, "policyId", scp)
        ]
        if len(documents) < len(attached) or any(d is None for d in documents):
            verdict: tuple[bool | None, str] = (None, f"an SCP attached to {target} is not readable in the program")
        else:
            merged = {"Statement": [s for d in documents if d is not None for s in statements(d)]}
            gaps = tag_guard_gaps(merged)
            verdict = (not gaps, f"SCPs of {target}: " + ("; ".join(gaps) or "deny the tag's changes"))
        for a in attached:
            yield ControlState(JURISDICTION_TAG_GUARDED, a.view.urn, a.view.type, a.view.region, *verdict)


def identity_facts(resources: Sequence[ProgramResource]) -> Iterator[ControlState]:
    yield from _protections(resources)
    yield from _scp_tag_guards(resources)
    policies = [r for r in resources if r.view.type == POLICY]
    # The enclave's roles carry its boundary; elsewhere the organisation's identity-guard SCP is the control.
    enclave = _is_enclave(resources)
    for r in resources:
        if r.view.type == ROLE and enclave:
            yield _tag_guard(r, policies)
        elif r.view.type in BUCKET_TYPES and _holds_records(r):
            yield _records_network(r, resources)
