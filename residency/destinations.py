"""Find every value in a resource's inputs that could say where its data goes (destination discovery).

Pure: the caller hands over the inputs as plain mappings and lists. Every string at any depth is looked
at, JSON strings are parsed (policy documents, redrive policies, container definitions), and anything
with the shape of a destination becomes a ``Candidate``:

- an ARN (its region and account; an S3 ARN names a bucket, whose region only the whole program knows);
- a region code or availability zone, or a VPC endpoint service name (``com.amazonaws.<region>.<svc>``);
- an AWS host (``sqs.us-east-1.amazonaws.com``) or a host outside AWS (a URL, an e-mail address, a host
  name in a property named like a host, endpoint or URL);
- a 12-digit account id;
- a principal: ``*``, ``all``, a public canned ACL or grantee group, another account, a service principal
  of a region, a federated identity provider outside AWS.

Policy statements that deny are skipped (they restrict); an allow statement's principal is public unless
a condition pins it to accounts, organisations, ARNs, VPCs or endpoints, whose values are then the
candidates. What each candidate means is decided by ``residency.data_paths`` and the rules, not here.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from residency.arns import is_account_id, parse_arn
from residency.ip_addresses import is_private_ip, is_public_ip
from residency.regions import is_known_region

Path = tuple[str | int, ...]

# Top-level inputs that never say where data goes: labels and prose, and the resource's own `region`
# (where it is placed, judged by residency-location).
INERT_TOP_LEVEL = frozenset({"tags", "tagsAll", "description", "region", "name", "namePrefix", "displayName"})
_REGION_RE = re.compile(r"^(?:us-gov|us-iso[a-z]?|[a-z]{2})-[a-z]+-\d{1,2}$")
_AZ_RE = re.compile(r"^((?:us-gov|[a-z]{2})-[a-z]+-\d{1,2})[a-z]$")
_URL_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*(?::[a-zA-Z0-9+.-]+)?://(?:[^/?#@]*@)?(\[[^\]]+\]|[^/:?#]+)")
_EMBEDDED_URL_RE = re.compile(r"\b(?:https?|ftps?|sftp|wss?)://[^\s'\"<>`]+")
# A property whose name says it holds code or a script, which can send data to any URL it names.
_CODE_KEY = re.compile(r"(?i)(userdata|script|command|entrypoint|args|code|content|definition|body)")
_BASE64_RE = re.compile(r"^(?:[A-Za-z0-9+/]{4}){4,}(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$")
_EMAIL_RE = re.compile(r"^[^@\s/]+@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)$")
_HOST_RE = re.compile(r"^(?=.{4,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\.[A-Za-z0-9-]{1,63})+\.?$")
# A Bedrock system-defined (cross-region) inference profile id: `<geography>.<vendor>.<model>`. AWS routes
# each request to a region of that geography that it chooses (`global`: any commercial region); the ARN's
# own region is only where the request is made.
_PROFILE_RE = re.compile(r"^(?P<geo>[a-z]{2,6}(?:-gov)?)\.[a-z0-9-]+\.[A-Za-z0-9._:-]+$")
_MODEL_KEY = re.compile(r"(?i)model|profile|copyFrom")
_VPCE_SERVICE_RE = re.compile(r"^com\.amazonaws\.(?:vpce\.)?([a-z]{2}(?:-gov)?-[a-z]+-\d{1,2})\.")
# A property whose name says it holds a host or address: a bare host name in it is a destination.
# Not "domain" or "dns": a domain name usually names the resource itself (a certificate, a zone, a custom domain).
_HOSTISH_KEY = re.compile(r"(?i)(host|endpoint|url|uri|server|address|fqdn|externalname)")
# A property whose name says it holds a destination: a value in it that is not understood is UNKNOWN.
_DESTINATION_KEY = re.compile(r"(?i)(host|endpoint|url|uri|server|address|destination|target|arn)")
# Plain resource names and ids: AWS resolves them in the caller's own region and account.
_PLAIN_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_./:=-]{0,511}$")
_AWS_DOMAINS = (".amazonaws.com", ".amazonaws.com.cn", ".api.aws", ".on.aws", ".aws")
# ARNs of services without regions: they name an account (and an identity), never a place.
_GLOBAL_ARN_SERVICES = frozenset({"iam", "sts", "organizations", "route53", "cloudfront", "waf", "shield"})
_IDENTITY_ARN_SERVICES = frozenset({"iam", "sts"})
PUBLIC_WORDS = frozenset({"*", "all", "public-read", "public-read-write", "authenticated-read"})
_PUBLIC_GROUPS = ("/global/AllUsers", "/global/AuthenticatedUsers")
# Conditions that pin who may use an allow statement (so a `*` principal is not public).
_PINNING_KEYS = frozenset(
    k.lower()
    for k in (
        "aws:SourceAccount",
        "aws:SourceOwner",
        "aws:SourceArn",
        "aws:SourceVpc",
        "aws:SourceVpce",
        "aws:PrincipalAccount",
        "aws:PrincipalArn",
        "aws:PrincipalOrgID",
        "aws:PrincipalOrgPaths",
        "aws:SourceOrgID",
        "aws:ResourceAccount",
        "kms:CallerAccount",
    )
)


def is_destination_key(key: str) -> bool:
    """Whether a property's name says it holds a destination (an ARN, endpoint, URL, host, target)."""
    return bool(_DESTINATION_KEY.search(key))


class Kind(StrEnum):
    ARN = "arn"
    BUCKET = "s3-bucket"
    REGION = "region"
    AWS_HOST = "aws-host"
    EXTERNAL_HOST = "external-host"
    ACCOUNT = "account"
    ORGANISATION = "organisation"
    PUBLIC = "public"
    # A value in a destination property that has none of the shapes above (a phone number, garbage).
    OPAQUE = "opaque"
    # A Bedrock cross-region inference profile: AWS picks the region inside a geography (``host`` names it).
    GEOGRAPHY = "inference-geography"


@dataclass(frozen=True)
class Candidate:
    """One value that could be a destination, where it was found, and what its shape tells."""

    path: Path
    value: str
    kind: Kind
    region: str | None = None
    account: str | None = None
    host: str | None = None
    principal: bool = False  # found as a principal (a policy's Principal, a grant, a share)
    # An IAM or STS ARN: an identity (a role the resource acts as), global, naming an account but no place.
    identity: bool = False

    @property
    def where(self) -> str:
        return ".".join(str(p) for p in self.path) or "(value)"


_NO_DESTINATION = frozenset({bool, int, float})


def discover(props: Mapping[str, Any], principal_paths: Any = None) -> Iterator[Candidate]:
    """Every candidate destination in ``props``. ``principal_paths(path)`` says whether a path holds principals."""
    is_principal = principal_paths or (lambda _path: False)
    for key, value in props.items():
        if key in INERT_TOP_LEVEL:
            continue
        yield from _walk(value, (key,), is_principal)


def _walk(value: Any, path: Path, is_principal: Any) -> Iterator[Candidate]:
    # Mappings and sequences, not dicts and lists: the policy pack hands over read-only proxies.
    if isinstance(value, str):
        yield from _string(value, path, is_principal(path))
    elif value is None or type(value) in _NO_DESTINATION:
        return  # the common leaves, before the (slower) abstract-class checks
    elif isinstance(value, Mapping):
        if "Statement" in value:
            yield from _policy(value, path)
            return
        for key, item in value.items():
            yield from _walk(item, (*path, str(key)), is_principal)
    elif isinstance(value, Sequence) and not isinstance(value, bytes):
        for index, item in enumerate(value):
            yield from _walk(item, (*path, index), is_principal)


def _string(value: str, path: Path, principal: bool) -> Iterator[Candidate]:
    text = value.strip()
    if not text:
        return
    if text[0] in "{[":
        try:
            parsed = json.loads(text)
        except ValueError:
            parsed = None
        if isinstance(parsed, Mapping | list):
            yield from _walk(parsed, path, lambda _p: principal)
            return
    found = classify(text, path, principal)
    if found is not None:
        yield found
    elif _holds_code(path) and (any(c.isspace() for c in text) or _BASE64_RE.match(text)):
        # A script (user data, a command, inline code), also base64-encoded as launch templates take it: every
        # URL written in it is a place the code can send data to. Hosts inside AWS, the VPC or the cluster
        # give no candidate here.
        for url in _EMBEDDED_URL_RE.finditer(_decoded(text)):
            inner = classify(url.group(0), path, principal)
            if inner is not None and inner.kind == Kind.EXTERNAL_HOST:
                yield inner
    elif path and isinstance(path[-1], str) and _DESTINATION_KEY.search(path[-1]) and not _PLAIN_NAME.match(text):
        yield Candidate(path, text[:200], Kind.OPAQUE)


def _decoded(text: str) -> str:
    if not _BASE64_RE.match(text):
        return text
    try:
        return base64.b64decode(text, validate=True).decode("utf-8")
    except ValueError:  # binascii.Error and UnicodeDecodeError are ValueErrors
        return text


def _holds_code(path: Path) -> bool:
    key = next((step for step in reversed(path) if isinstance(step, str)), "")
    return bool(_CODE_KEY.search(key))


def classify(text: str, path: Path = (), principal: bool = False) -> Candidate | None:
    """The candidate one string is, or None when it has no destination shape (a plain name, a number)."""
    if principal and (text.lower() in PUBLIC_WORDS or text.endswith(_PUBLIC_GROUPS)):
        return Candidate(path, text, Kind.PUBLIC, principal=True)
    if text.startswith("arn:"):
        return _arn(text, path, principal)
    if _REGION_RE.match(text):
        return Candidate(path, text, Kind.REGION, region=text)
    zone = _AZ_RE.match(text)
    if zone and is_known_region(zone.group(1)):
        return Candidate(path, text, Kind.REGION, region=zone.group(1))
    if is_account_id(text):
        return Candidate(path, text, Kind.ACCOUNT, account=text, principal=principal)
    if text.startswith("o-") and principal:
        return Candidate(path, text, Kind.ORGANISATION, principal=True)
    service = _VPCE_SERVICE_RE.match(text)
    if service:
        return Candidate(path, text, Kind.REGION, region=service.group(1))
    if text.startswith("s3://"):
        return Candidate(path, text, Kind.BUCKET, host=text[5:].split("/", 1)[0], principal=principal)
    url = _URL_RE.match(text)
    if url:
        return host_candidate(url.group(1).strip("[]"), text, path, principal)
    hostish = bool(path) and isinstance(path[-1], str) and bool(_HOSTISH_KEY.search(path[-1]))
    email = _EMAIL_RE.match(text)
    if email and (hostish or principal):  # a mailbox to deliver to; elsewhere (a sender identity) it is a name
        return host_candidate(email.group(1), text, path, principal)
    if is_public_ip(text):  # an address is a host wherever it is written (a forwarder, a gateway, a target)
        return host_candidate(text, text, path, principal)
    geography = _inference_geography(text, path)
    if geography is not None:
        return geography
    bare = text.split("/", 1)[0].split(":", 1)[0]
    if _HOST_RE.match(bare) and (hostish or principal or bare.lower().endswith(_AWS_DOMAINS)):
        return host_candidate(bare, text, path, principal)
    return None


def _arn(text: str, path: Path, principal: bool) -> Candidate | None:
    arn = parse_arn(text)
    if arn is None:
        return Candidate(path, text, Kind.OPAQUE)
    service, region = arn.service, arn.region or None
    account = arn.account if is_account_id(arn.account) else None
    if service == "s3" and region is None and account is None:
        return Candidate(path, text, Kind.BUCKET, host=arn.resource.split("/", 1)[0], principal=principal)
    if service == "bedrock" and arn.resource.startswith("inference-profile/"):
        profile = _PROFILE_RE.match(arn.resource.split("/", 1)[1])
        if profile:
            return Candidate(path, text, Kind.GEOGRAPHY, host=profile.group("geo"), principal=principal)
    if service in _GLOBAL_ARN_SERVICES:
        region = None
    if region is None and account is None:
        return None  # an AWS-managed definition (arn:aws:iam::aws:policy/..., an EKS access policy): no place
    identity = service in _IDENTITY_ARN_SERVICES
    return Candidate(path, text, Kind.ARN, region=region, account=account, principal=principal, identity=identity)


def host_candidate(host: str, text: str, path: Path, principal: bool = False) -> Candidate | None:
    """A host name: inside AWS (its region, when its labels name one) or outside it."""
    host = host.lower().rstrip(".")
    if host in ("localhost",) or host.endswith((".svc", ".svc.cluster.local", ".cluster.local", ".internal")):
        return None  # stays inside the cluster or the VPC
    if is_private_ip(host):
        return None
    if host.endswith(_AWS_DOMAINS):
        labels = host.split(".")
        region = next((label for label in labels if is_known_region(label) or _REGION_RE.match(label)), None)
        account = next((label for label in labels if is_account_id(label)), None)
        if region is None and (len(labels) <= 3 or principal):
            return None  # a service principal or global endpoint (pods.eks.amazonaws.com): no place, no data
        return Candidate(path, text, Kind.AWS_HOST, region=region, account=account, host=host, principal=principal)
    return Candidate(path, text, Kind.EXTERNAL_HOST, host=host, principal=principal)


def _inference_geography(text: str, path: Path) -> Candidate | None:
    """A bare cross-region inference profile id (``us.anthropic.claude-...``) in a property naming a model."""
    key = path[-1] if path and isinstance(path[-1], str) else ""
    profile = _PROFILE_RE.match(text) if _MODEL_KEY.search(key) else None
    return Candidate(path, text, Kind.GEOGRAPHY, host=profile.group("geo")) if profile else None


def _policy(document: Mapping[str, Any], path: Path) -> Iterator[Candidate]:
    statements = document.get("Statement")
    if isinstance(statements, Mapping):
        statements = [statements]
    if not isinstance(statements, list):
        return
    for index, statement in enumerate(statements):
        if not isinstance(statement, Mapping) or statement.get("Effect") == "Deny":
            continue
        where = (*path, "Statement", index)
        pinned, pins = _pinning_conditions(statement.get("Condition"), (*where, "Condition"))
        if "NotPrincipal" in statement:
            yield Candidate((*where, "NotPrincipal"), "NotPrincipal", Kind.PUBLIC, principal=True)
        principal = statement.get("Principal")
        if principal is None:
            continue
        for found in _walk(principal, (*where, "Principal"), lambda _p: True):
            if found.kind == Kind.PUBLIC and pinned:
                continue  # `*`, but only for the accounts, organisations or sources the conditions name
            yield found
        yield from pins


def _pinning_conditions(condition: Any, path: Path) -> tuple[bool, list[Candidate]]:
    """Whether a condition pins the statement to named sources, and the candidates those names are."""
    pinned, found = False, list[Candidate]()
    if not isinstance(condition, Mapping):
        return pinned, found
    for operator, tests in condition.items():
        # IfExists operators do not pin: a request without the key passes them.
        if not isinstance(tests, Mapping) or str(operator).endswith("IfExists"):
            continue
        for key, values in tests.items():
            if str(key).lower() in _PINNING_KEYS:
                pinned = True
                found.extend(_walk(values, (*path, str(operator), str(key)), lambda _p: True))
    return pinned, found
