"""A stand-in ``aws`` resource provider for the real Pulumi engine, with no cloud behind it.

The real pulumi-resource-aws is built from a patched Terraform provider and cannot be obtained here, so
the engine tier installs this one as the ``aws`` plugin at the version pulumi-aws requests. It answers the
engine the way the real provider does for the inputs it receives:

- ``CheckConfig``/``Configure``: ``region`` is required and must look like an AWS region; the account is
  the one its credentials belong to (``ENCLAVE_STANDIN_AWS_ACCOUNT``, the stand-in's "credentials"), and
  ``allowedAccountIds``/``forbiddenAccountIds`` refuse a wrong account exactly as the real provider does;
- ``Check`` auto-names resources that have a physical name (``<logical>-<7 hex>``), so the name is an input
  the policy pack sees, as with the real provider;
- ``Create``: during preview every output that is not an input is unknown and the id is empty; after
  create the ids and ARNs are realistic (``enclave/offline/identifiers.py``) with the real region and
  account, and ``tagsAll`` merges the provider's ``defaultTags``;
- ``Diff`` reports changed inputs and asks for replacement where AWS cannot update in place;
- ``Invoke`` answers the data sources the offline runner knows (``enclave/offline/invokes.py``) and fails
  for any other, never returning an empty guess.
"""

from __future__ import annotations

import json
import os
import re
import sys
from typing import Any

from pulumi.provider.experimental import provider as p
from pulumi.provider.experimental.server import main
from pulumi.runtime.mocks import MockResourceArgs

from enclave.offline import identifiers as ids
from enclave.offline.invokes import answer_invoke
from enclave.offline.mocks import RealisticMocks
from tests.engine.providers.values import (
    UNKNOWN,
    contains_unknown,
    decode_json_input,
    plain_map,
    property_map,
)
from tests.engine.providers.versions import plugin_version

ACCOUNT_ENV = "ENCLAVE_STANDIN_AWS_ACCOUNT"
REGION_PATTERN = re.compile(r"^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$")

# Inputs whose change AWS cannot apply in place (Terraform's ForceNew) for the types the project uses.
# `region` forces replacement on every regional resource in pulumi-aws v7.
FORCE_NEW: dict[tuple[str, str], frozenset[str]] = {
    ("s3", "bucket"): frozenset({"bucket", "bucketPrefix", "objectLockEnabled"}),
    ("kms", "key"): frozenset({"multiRegion", "customerMasterKeySpec", "keySpec", "keyUsage"}),
    ("kms", "replicaKey"): frozenset({"primaryKeyArn"}),
    ("ec2", "vpc"): frozenset({"cidrBlock", "instanceTenancy"}),
    ("ec2", "subnet"): frozenset({"vpcId", "cidrBlock", "availabilityZone", "availabilityZoneId"}),
    ("dynamodb", "table"): frozenset({"name"}),
    ("iam", "role"): frozenset({"name", "namePrefix", "path"}),
    ("cloudwatch", "logGroup"): frozenset({"name", "namePrefix"}),
    ("cloudtrail", "trail"): frozenset({"name"}),
    ("eks", "cluster"): frozenset({"name", "roleArn"}),
}


class ProviderConfigError(Exception):
    """A provider configuration the real provider would refuse (one line for the engine to show)."""


def _autonamed(module: str, resource: str) -> bool:
    if (module, resource) in ids.NAME_PROPERTY:
        return True
    template = ids.ARN_RESOURCE.get((module, resource), "")
    return "{name}" in template and ids.EC2_ID_PREFIX.get((module, resource)) is None


def _account_list(value: Any) -> list[str] | None:
    decoded = decode_json_input(value)
    if decoded is None or decoded is UNKNOWN:
        return None
    if not isinstance(decoded, list) or not all(isinstance(a, str) for a in decoded):
        raise ProviderConfigError(f"account id list must be a list of strings, got {value!r}")
    return decoded


def _assumed_account(value: Any) -> str | None:
    """The account of the last role an ``assumeRoles`` chain names; None without one."""
    roles = decode_json_input(value)
    if roles is None or roles is UNKNOWN or roles == []:
        return None
    if not isinstance(roles, list) or not all(isinstance(r, dict) for r in roles):
        raise ProviderConfigError(f"assumeRoles must be a list of objects, got {value!r}")
    arn = roles[-1].get("roleArn")
    match = re.fullmatch(r"arn:aws[a-z-]*:iam::(\d{12}):role/.+", arn) if isinstance(arn, str) else None
    if match is None:
        raise ProviderConfigError(f"assumeRoles: cannot assume role {arn!r}: not an IAM role ARN")
    return match.group(1)


def _urn_parts(urn: str) -> tuple[str, str]:
    """``urn:pulumi:<stack>::<project>::<type>::<name>`` -> (stack, project)."""
    head = urn.split("::")
    return head[0].removeprefix("urn:pulumi:"), head[1]


def resource_type(urn: str) -> str:
    """The resource's own type token; a child's URN carries its parents' types before ``$``."""
    return urn.split("::")[-2].rsplit("$", 1)[-1]


class AwsStandIn(p.Provider):
    def __init__(self) -> None:
        self.region: Any = None
        self.account: str | None = None
        self.default_tags: dict[str, Any] = {}

    async def get_schema(self, request: p.GetSchemaRequest) -> p.GetSchemaResponse:
        return p.GetSchemaResponse(json.dumps({"name": "aws", "version": plugin_version("aws")}))

    async def check_config(self, request: p.CheckRequest) -> p.CheckResponse:
        news = plain_map(request.new_inputs)
        region = news.get("region")
        failures = []
        if region is None:
            failures.append(p.CheckFailure("region", "missing required configuration 'region' (aws:region)"))
        elif region is not UNKNOWN and not REGION_PATTERN.match(str(region)):
            failures.append(p.CheckFailure("region", f"invalid AWS region {region!r}"))
        return p.CheckResponse(inputs=request.new_inputs, failures=failures)

    async def diff_config(self, request: p.DiffRequest) -> p.DiffResponse:
        olds, news = plain_map(request.old_state), plain_map(request.new_inputs)
        changed = sorted(k for k in set(olds) | set(news) if k != "version" and olds.get(k) != news.get(k))
        return p.DiffResponse(changes=bool(changed), diffs=changed)

    async def configure(self, request: p.ConfigureRequest) -> p.ConfigureResponse:
        args = plain_map(request.args)
        self.region = args.get("region") or request.variables.get("aws:config:region")
        tags = decode_json_input(args.get("defaultTags"))
        self.default_tags = dict(tags.get("tags") or {}) if isinstance(tags, dict) else {}
        account = os.environ.get(ACCOUNT_ENV)
        if not account:
            raise ProviderConfigError(f"no valid credential sources found: set {ACCOUNT_ENV} to the account id")
        # As the real provider: with assume_roles, the credentials (and the account allowedAccountIds is checked
        # against) are those of the last role in the chain.
        account = _assumed_account(args.get("assumeRoles")) or account
        allowed = _account_list(args.get("allowedAccountIds"))
        forbidden = _account_list(args.get("forbiddenAccountIds"))
        if (allowed is not None and account not in allowed) or (forbidden is not None and account in forbidden):
            raise ProviderConfigError(f"AWS account ID not allowed: {account}")
        self.account = account
        return p.ConfigureResponse(accept_secrets=False, supports_preview=True)

    async def invoke(self, request: p.InvokeRequest) -> p.InvokeResponse:
        args = plain_map(request.args)
        region = args.get("region") or self.region
        answer = answer_invoke(request.tok, args, region=str(region), account=str(self.account))
        if answer is None:
            raise NotImplementedError(f"the stand-in aws provider has no answer for invoke {request.tok}")
        return p.InvokeResponse(return_value=property_map(answer))

    async def check(self, request: p.CheckRequest) -> p.CheckResponse:
        news = plain_map(request.new_inputs)
        _, module, resource = ids.split_token(resource_type(request.urn))
        prop = ids.name_property(module, resource)
        if _autonamed(module, resource) and news.get(prop) is None and news.get(f"{prop}Prefix") is None:
            news[prop] = f"{request.name}-{ids.digest(request.urn, 7)}"
        return p.CheckResponse(inputs=property_map(news))

    async def diff(self, request: p.DiffRequest) -> p.DiffResponse:
        olds, news = plain_map(request.old_state), plain_map(request.new_inputs)
        _, module, resource = ids.split_token(resource_type(request.urn))
        changed = sorted(k for k, v in news.items() if olds.get(k) != v)
        force_new = FORCE_NEW.get((module, resource), frozenset()) | {"region"}
        replaces = [k for k in changed if k in force_new]
        return p.DiffResponse(changes=bool(changed), diffs=changed, replaces=replaces)

    def _state(self, urn: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        """The resource as AWS would report it after create: realistic id, ARN, region and account."""
        stack, project = _urn_parts(urn)
        _, module, resource = ids.split_token(resource_type(urn))
        mocks = RealisticMocks(project, stack, region=str(self.region), account=self.account)
        id_, state = mocks.new_resource(
            MockResourceArgs(resource_type(urn), urn.rsplit("::", 1)[1], inputs, custom=True)
        )
        if (module, resource) == ("apigatewayv2", "api"):
            state["apiEndpoint"] = f"https://{id_}.execute-api.{state.get('region', self.region)}.amazonaws.com"
        if isinstance(inputs.get("tags"), dict) or self.default_tags:
            state["tagsAll"] = {**self.default_tags, **(inputs.get("tags") or {})}
        return id_ or "", state

    async def create(self, request: p.CreateRequest) -> p.CreateResponse:
        inputs = plain_map(request.properties)
        if request.preview or self.region is UNKNOWN or contains_unknown(inputs):
            # Preview: what is not an input is computed by AWS, so unknown; the id too.
            _, state = self._state(request.urn, _without_unknowns(inputs))
            outputs = {**dict.fromkeys(state, UNKNOWN), **inputs}
            if "region" not in inputs and self.region is not UNKNOWN and "region" in state:
                outputs["region"] = self.region
            return p.CreateResponse(resource_id="", properties=property_map(outputs))
        id_, state = self._state(request.urn, inputs)
        return p.CreateResponse(resource_id=id_, properties=property_map(state))

    async def update(self, request: p.UpdateRequest) -> p.UpdateResponse:
        olds, news = plain_map(request.olds), plain_map(request.news)
        return p.UpdateResponse(properties=property_map({**olds, **news}))

    async def delete(self, request: p.DeleteRequest) -> None:
        return None


def _without_unknowns(inputs: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in inputs.items() if not contains_unknown(v)}


if __name__ == "__main__":
    main(sys.argv[1:], plugin_version("aws"), AwsStandIn())
