"""Whether the records bucket serves objects only through the enclave's network (rule ``records-source-vpce``).

A bucket policy keeps user records in the enclave's network with a Deny, to every principal, of reading and
writing objects, exempting at most named principals (``aws:PrincipalArn``, no wildcard), whose only network
condition is one of two forms:

- ``StringNotEquals aws:SourceVpce`` (or ``aws:SourceVpc``): requests must come through the named endpoints.
- ``StringNotEquals s3:DataAccessPointArn``: requests must come through the named S3 access points. This holds
  only when every named access point is an access point **on this bucket** with a **VPC network origin**:
  "Amazon S3 rejects any request made to the access point that doesn't originate from that VPC" (Amazon S3
  User Guide, "Creating access points restricted to a virtual private cloud"), and a request that does not
  use an access point carries no ``s3:DataAccessPointArn``, so the negated operator is true and it is denied.
  The access points are therefore part of the judgement: one the caller does not know (absent from the
  program or the account), with an Internet origin, or on another bucket fails; one whose origin or bucket
  cannot be read leaves the rule UNKNOWN (fail closed).

The access point form is what the enclave ships: its ARN (``arn:aws:s3:<region>:<account>:accesspoint/<name>``)
is known before the access point exists, while a gateway endpoint's id is not, so the policy can be judged at
the first preview. It admits any endpoint of the enclave's VPC rather than one named endpoint; the VPC has no
internet or NAT gateway and every endpoint's policy admits only the account's principals.

Pure: the adapters read the bucket policy and the access points (Pulumi properties, s3control GetAccessPoint)
and ask here, so the pack and the live auditor judge the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from residency.policy_documents import actions, condition_entries, covers, has_wildcard, principals, statements

# Reading or writing objects: what the records bucket serves only through the enclave's network.
RECORD_OBJECT_ACTIONS = ("s3:GetObject", "s3:PutObject")
_ENDPOINT_KEYS = ("aws:sourcevpce", "aws:sourcevpc")
ACCESS_POINT_KEY = "s3:dataaccesspointarn"
_NOT_EQUALS = ("StringNotEquals", "StringNotEqualsIfExists")
_EXEMPTIONS = ("ArnNotEquals", "ArnNotLike")
VPC_ORIGIN, INTERNET_ORIGIN = "VPC", "Internet"


@dataclass(frozen=True)
class AccessPoint:
    """An S3 access point as the rule reads it.

    ``bucket``: the name of the bucket it serves (None: cannot be read). ``origin``: ``VPC`` or ``Internet``
    (None: cannot be read). ``vpc``: the VPC its requests must come from (an id, or at preview the program's
    VPC resource it names), for the finding's text.
    """

    arn: str
    bucket: str | None
    origin: str | None
    vpc: str | None = None


@dataclass(frozen=True)
class Verdict:
    satisfied: bool | None
    detail: str


def _network_condition(statement: Mapping[str, Any]) -> tuple[str, list[str]] | None:
    """(network key, values) when the statement is a Deny to everyone of object access unless through the
    named endpoints or access points, exempting at most named principals; None for anything else."""
    if statement.get("Effect") != "Deny" or principals(statement, "AWS") != ["*"]:
        return None
    if not all(covers(actions(statement), a) for a in RECORD_OBJECT_ACTIONS):
        return None
    network: list[tuple[str, list[str]]] = []
    for operator, key, values in condition_entries(statement):
        wildcard = not values or any(has_wildcard(v) for v in values)
        if key in (*_ENDPOINT_KEYS, ACCESS_POINT_KEY) and operator in _NOT_EQUALS and not wildcard:
            network.append((key, values))
        elif not (key == "aws:principalarn" and operator in _EXEMPTIONS and not wildcard):
            return None  # any other condition lets some requests from outside through
    # One network key only: a second one would be ANDed, and judging the pair is not this rule's business.
    return network[0] if len(network) == 1 else None


def access_point_arns(document: Mapping[str, Any] | None) -> list[str]:
    """The access points a policy's network denies name (what the live auditor must look up)."""
    if document is None:
        return []
    found = [_network_condition(s) for s in statements(document)]
    return sorted({v for c in found if c is not None and c[0] == ACCESS_POINT_KEY for v in c[1]})


def _judge_access_points(
    arns: list[str], bucket: str | None, access_points: Mapping[str, AccessPoint | None]
) -> Verdict:
    unknown: list[str] = []
    for arn in arns:
        if arn not in access_points:
            return Verdict(
                False, f"the policy names access point {arn}, which is not an access point of this program or account"
            )
        ap = access_points[arn]
        if ap is None or ap.origin is None or ap.bucket is None or bucket is None:
            unknown.append(arn)
        elif ap.origin != VPC_ORIGIN:
            return Verdict(False, f"access point {arn} has network origin {ap.origin}: reachable from outside a VPC")
        elif ap.bucket != bucket:
            return Verdict(False, f"access point {arn} serves bucket {ap.bucket}, not {bucket}")
    if unknown:
        return Verdict(None, f"cannot read the bucket or network origin of access point {', '.join(unknown)}")
    where = sorted({ap.vpc for a in arns if (ap := access_points[a]) is not None and ap.vpc})
    return Verdict(True, f"objects only through access points with a VPC network origin ({', '.join(where) or 'VPC'})")


def records_network(
    document: Mapping[str, Any] | None,
    bucket: str | None = None,
    access_points: Mapping[str, AccessPoint | None] | None = None,
) -> Verdict:
    """Whether ``document`` (the policy of ``bucket``) serves objects only through the enclave's network.

    ``access_points``: every access point the caller knows (the program's, the account's), by ARN; a value
    of None is one that exists but could not be read. Any one qualifying statement is enough; otherwise a
    statement whose access points cannot be read makes the verdict UNKNOWN (None), and anything else fails.
    """
    if document is None:
        return Verdict(False, "no bucket policy: objects are reachable from any network")
    unknown: Verdict | None = None
    failed: Verdict | None = None
    for statement in statements(document):
        condition = _network_condition(statement)
        if condition is None:
            continue
        key, values = condition
        if key in _ENDPOINT_KEYS:
            return Verdict(True, "objects only through the enclave's VPC endpoints")
        verdict = _judge_access_points(values, bucket, access_points or {})
        if verdict.satisfied:
            return verdict
        if verdict.satisfied is None:
            unknown = unknown or verdict
        else:
            failed = failed or verdict
    if unknown is not None:
        return unknown
    if failed is not None:
        return failed
    return Verdict(
        False,
        "no statement denies object access outside the enclave's network (aws:SourceVpce, or "
        "s3:DataAccessPointArn of access points with a VPC network origin)",
    )
