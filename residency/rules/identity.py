"""Identity rules (issue 10): who can become a person of the jurisdiction, judged on any stack and live.

- ``break-glass-trust``: a break-glass role (its name says so) is assumable only by named principals carrying
  this jurisdiction's tag, with an MFA sign-in at most BREAK_GLASS_MFA_MAX_AGE old, for a session of at most
  BREAK_GLASS_MAX_SESSION.
- ``oidc-trust-pinned``: a role that trusts a web-identity (OIDC) provider pins the token's ``sub`` exactly,
  for GitHub to one repository's deployment environment, and its ``aud`` to STS; otherwise any repository,
  branch or pull request of anyone using the provider could assume it.
- ``jurisdiction-tag-guarded``: a role's permissions boundary denies setting or removing the jurisdiction tag
  (on users, roles and sessions), exempting at most the identity-administration role, so no principal can
  give itself the tag that admits people to records.

A trust policy or boundary that cannot be read is UNKNOWN, never a pass.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from residency.identity import (
    BREAK_GLASS_MAX_SESSION,
    BREAK_GLASS_MFA_MAX_AGE,
    GITHUB_OIDC_HOST,
    IDENTITY_ADMIN_ROLE_NAME,
    JURISDICTION_TAG,
    JURISDICTION_TAG_ACTIONS,
    STS_AUDIENCE,
    is_break_glass_role,
    is_environment_subject,
)
from residency.model import Category, Fact, Finding, RoleTrust, Severity, Status
from residency.policy_documents import (
    actions,
    condition_entries,
    condition_values,
    covers,
    has_wildcard,
    label,
    parse_document,
    principals,
    statements,
)
from residency.rule_ids import BREAK_GLASS_TRUST, JURISDICTION_TAG_GUARDED, OIDC_TRUST_PINNED
from residency.rules.base import Context, Rule, Scope
from residency.rules.controls import control_rule

_EQUALS = ("StringEquals", "StringEqualsIgnoreCase", "ArnEquals")
_NAMED = ("ArnEquals", "ArnLike", "StringEquals", "StringLike")
_NOT_EQUALS = ("ArnNotEquals", "ArnNotLike", "StringNotEquals", "StringNotLike", "StringNotEqualsIgnoreCase")
_TAG_KEY_TESTS = ("ForAnyValue:StringEquals", "ForAnyValue:StringEqualsIgnoreCase", "ForAnyValue:StringLike")


def _allows(document: Mapping[str, Any]) -> list[tuple[int, Mapping[str, Any]]]:
    return [(i, s) for i, s in enumerate(statements(document)) if s.get("Effect") == "Allow"]


def _named_people(statement: Mapping[str, Any]) -> bool:
    """Named principals: ``aws:PrincipalArn`` pinned to ARNs without wildcards (the account root stays the
    trusted principal), or trusted AWS principals that are neither ``*`` nor an account."""
    named = condition_values(statement, _NAMED, "aws:PrincipalArn")
    if named:
        return not any(has_wildcard(a) for a in named)
    trusted = principals(statement, "AWS")
    return bool(trusted) and not any(p == "*" or p.endswith(":root") or p.isdigit() for p in trusted)


def break_glass_gaps(document: Mapping[str, Any], max_session: int, jurisdiction_id: str) -> list[str]:
    """Why a break-glass role admits more than named, tagged people with fresh MFA for a short session."""
    gaps = []
    if max_session > BREAK_GLASS_MAX_SESSION:
        gaps.append(f"sessions last up to {max_session} s (at most {BREAK_GLASS_MAX_SESSION})")
    for i, s in _allows(document):
        name = label(s, i)
        if principals(s, "Federated") or principals(s, "Service") or principals(s, "AWS") == ["*"]:
            gaps.append(f"{name} trusts a principal that is not a named person of the account")
            continue
        if condition_values(s, ("Bool",), "aws:MultiFactorAuthPresent") != ["true"]:
            gaps.append(f"{name} does not require MFA (aws:MultiFactorAuthPresent)")
        ages = condition_values(s, ("NumericLessThan", "NumericLessThanEquals"), "aws:MultiFactorAuthAge")
        if not ages or not all(a.isdigit() and int(a) <= BREAK_GLASS_MFA_MAX_AGE for a in ages):
            gaps.append(f"{name} does not require an MFA sign-in at most {BREAK_GLASS_MFA_MAX_AGE} s old")
        tags = condition_values(s, _EQUALS, f"aws:PrincipalTag/{JURISDICTION_TAG}")
        if tags != [jurisdiction_id]:
            gaps.append(f"{name} does not require aws:PrincipalTag/{JURISDICTION_TAG} = {jurisdiction_id}")
        if not _named_people(s):
            gaps.append(f"{name} admits anyone of the account, not named people (aws:PrincipalArn)")
    return gaps


def _web_identity(statement: Mapping[str, Any]) -> bool:
    federated = [p for p in principals(statement, "Federated") if "saml-provider/" not in p]
    return bool(federated) or covers(actions(statement), "sts:AssumeRoleWithWebIdentity")


def oidc_trust_gaps(document: Mapping[str, Any]) -> list[str]:
    """Why a role's web-identity trust admits more than one pinned subject with STS as the audience."""
    gaps = []
    for i, s in _allows(document):
        if not _web_identity(s):
            continue
        name = label(s, i)
        entries = condition_entries(s)
        subjects = [(op, key, v) for op, key, values in entries if key.endswith(":sub") for v in values]
        if not subjects:
            gaps.append(f"{name} does not pin the token's sub")
        for op, key, value in subjects:
            if op not in _EQUALS or has_wildcard(value):
                gaps.append(f"{name} matches sub {value!r} with {op}, not one exact subject")
            elif key.startswith(GITHUB_OIDC_HOST) and not is_environment_subject(value):
                gaps.append(f"{name} pins sub {value!r}, not one repository's environment (repo:o/r:environment:e)")
        audiences = [v for op, key, values in entries if key.endswith(":aud") and op in _EQUALS for v in values]
        if not audiences or any(a != STS_AUDIENCE for a in audiences):
            gaps.append(f"{name} does not require aud = {STS_AUDIENCE}")
    return gaps


def _admin_only(values: list[str]) -> bool:
    return bool(values) and all(v.endswith(f":role/{IDENTITY_ADMIN_ROLE_NAME}") and not has_wildcard(v) for v in values)


def _guards_tag(statement: Mapping[str, Any]) -> bool:
    """A Deny of changes to the jurisdiction tag whose only other condition exempts the identity admin."""
    if statement.get("Effect") != "Deny" or "*" not in [str(r) for r in _resources(statement)]:
        return False
    tag_test = False
    for operator, key, values in condition_entries(statement):
        if key == "aws:tagkeys" and operator in _TAG_KEY_TESTS:
            tag_test = tag_test or any(v.lower() == JURISDICTION_TAG for v in values)
        elif not (key == "aws:principalarn" and operator in _NOT_EQUALS and _admin_only(values)):
            return False  # another condition narrows the deny to some callers or requests
    return tag_test


def _resources(statement: Mapping[str, Any]) -> list[Any]:
    resource = statement.get("Resource")
    return list(resource) if isinstance(resource, list) else [resource]


def tag_guard_gaps(document: Mapping[str, Any]) -> list[str]:
    """Which changes of the jurisdiction tag a boundary (or SCP) leaves open (empty: none)."""
    guarding = [actions(s) for s in statements(document) if _guards_tag(s)]
    open_actions = [a for a in JURISDICTION_TAG_ACTIONS if not any(covers(patterns, a) for patterns in guarding)]
    if not open_actions:
        return []
    return [
        f"does not deny {', '.join(open_actions)} of the {JURISDICTION_TAG} tag to all but {IDENTITY_ADMIN_ROLE_NAME}"
    ]


def _trust_finding(fact: Fact, rule: Rule, gaps_of: Any) -> Finding:
    assert isinstance(fact, RoleTrust)
    document = parse_document(fact.document)
    if document is None:
        return Finding(
            rule.id, Status.UNKNOWN, fact.resource, fact.region, f"cannot read the trust policy of {fact.role_name}"
        )
    gaps = gaps_of(fact, document)
    if gaps is None:
        return Finding(
            rule.id, Status.UNKNOWN, fact.resource, fact.region, f"cannot read the maximum session of {fact.role_name}"
        )
    if gaps:
        return Finding(rule.id, Status.FAIL, fact.resource, fact.region, f"{fact.role_name}: {'; '.join(gaps)}")
    return Finding(rule.id, Status.PASS, fact.resource, fact.region, f"{fact.role_name}: {rule.title}")


def _check_break_glass(fact: Fact, rule: Rule, ctx: Context) -> Finding:
    def gaps(f: RoleTrust, document: Mapping[str, Any]) -> list[str] | None:
        if f.max_session_seconds is None:
            return None
        return break_glass_gaps(document, f.max_session_seconds, ctx.jurisdiction.id)

    return _trust_finding(fact, rule, gaps)


def _check_oidc(fact: Fact, rule: Rule, ctx: Context) -> Finding:
    return _trust_finding(fact, rule, lambda _, document: oidc_trust_gaps(document))


_PRIVILEGED = ("ISO/IEC 27001 A.5.15 (access control) and A.8.2 (privileged access)", "GDPR Art. 32(4)")

IDENTITY_RULES: tuple[Rule, ...] = (
    Rule(
        id=BREAK_GLASS_TRUST,
        title="Break-glass admits only named, tagged people with fresh MFA, briefly",
        description=(
            f"Every role whose name says break-glass is assumable only by named principals (aws:PrincipalArn), "
            f"with aws:PrincipalTag/{JURISDICTION_TAG} of the stack's jurisdiction, MFA used at most "
            f"{BREAK_GLASS_MFA_MAX_AGE} s ago, and sessions of at most {BREAK_GLASS_MAX_SESSION} s."
        ),
        category=Category.ACCESS,
        severity=Severity.CRITICAL,
        remediation=(
            "Trust the account root with conditions: ArnEquals aws:PrincipalArn (the named people), "
            f"StringEquals aws:PrincipalTag/{JURISDICTION_TAG}, Bool aws:MultiFactorAuthPresent, "
            f"NumericLessThanEquals aws:MultiFactorAuthAge {BREAK_GLASS_MFA_MAX_AGE}; "
            f"maxSessionDuration {BREAK_GLASS_MAX_SESSION}.",
        ),
        references=_PRIVILEGED,
        judges=((RoleTrust, None),),
        applies_to=lambda fact: isinstance(fact, RoleTrust) and is_break_glass_role(fact.role_name),
        check=_check_break_glass,
    ),
    Rule(
        id=OIDC_TRUST_PINNED,
        title="Web-identity trust pins one subject and STS as the audience",
        description=(
            "Every role trusting an OIDC provider requires the token's sub to equal one subject exactly (GitHub: "
            f"repo:<owner>/<repo>:environment:<name>) and its aud to be {STS_AUDIENCE}."
        ),
        category=Category.ACCESS,
        severity=Severity.CRITICAL,
        remediation=(
            "Add StringEquals conditions on <provider>:sub (the protected environment's subject) and "
            f"<provider>:aud ({STS_AUDIENCE}); never StringLike with wildcards.",
        ),
        references=_PRIVILEGED,
        judges=((RoleTrust, None),),
        applies_to=lambda fact: isinstance(fact, RoleTrust),
        check=_check_oidc,
    ),
    control_rule(
        JURISDICTION_TAG_GUARDED,
        "No principal can give itself the jurisdiction tag",
        f"Every role of an enclave has a permissions boundary, and every organisation target's SCPs together, deny "
        f"{', '.join(JURISDICTION_TAG_ACTIONS)} with the {JURISDICTION_TAG} tag key (aws:TagKeys), exempting at "
        f"most the {IDENTITY_ADMIN_ROLE_NAME} role.",
        Category.ACCESS,
        Severity.CRITICAL,
        "Give the role the enclave boundary; it denies changes of the jurisdiction tag "
        "(components/policy.py deny_jurisdiction_tag).",
        _PRIVILEGED,
        Scope.PROGRAM,  # the boundary is another resource
    ),
)
