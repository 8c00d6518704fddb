"""Pulumi mocks with realistic AWS and Kubernetes outputs (the monitor that records registrations is
``enclave.offline.monitor``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pulumi
from pulumi.output import Unknown
from pulumi.runtime import rpc
from pulumi.runtime.mocks import MockCallArgs, MockResourceArgs

from adapters.pulumi.provider_account import provider_account
from enclave.offline import identifiers as ids
from enclave.offline.invokes import answer_invoke
from enclave.offline.unknowns import STACK_REFERENCE
from residency.regions import effective_region

DEFAULT_ACCOUNT = "123456789012"


def plain(value: Any) -> Any:
    """Deserialised Pulumi properties as plain JSON values: secrets unwrapped, unknowns (a preview's) as the
    engine's own sentinel, ``rpc.UNKNOWN``, which is how they reach a policy pack."""
    if isinstance(value, Unknown):
        return rpc.UNKNOWN
    if rpc.is_rpc_secret(value):
        return plain(rpc.unwrap_rpc_secret(value))
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, pulumi.Resource):
        return f"<resource {type(value).__name__}>"
    if isinstance(value, pulumi.Asset | pulumi.Archive):
        return asset_or_archive(value)
    return value


def asset_or_archive(value: pulumi.Asset | pulumi.Archive) -> dict[str, Any]:
    """An asset or archive as the engine sends it to a policy pack: the signature key, then its source
    (path, text, uri, or the assets of an AssetArchive). Contents are never read: the plan stays offline."""
    sig = rpc._special_archive_sig if isinstance(value, pulumi.Archive) else rpc._special_asset_sig
    out: dict[str, Any] = {rpc._special_sig_key: sig}
    if isinstance(value, pulumi.AssetArchive):
        out["assets"] = {name: plain(v) for name, v in value.assets.items()}
    for attribute in ("path", "text", "uri"):
        if isinstance(getattr(value, attribute, None), str):
            out[attribute] = getattr(value, attribute)
    return out


class RealisticMocks(pulumi.runtime.Mocks):
    """Answers registrations and invokes the way AWS and Kubernetes would, deterministically."""

    def __init__(
        self,
        project: str,
        stack: str,
        region: str | None,
        account: str | None,
        preview: bool = False,
        computed_unknown: bool = False,
        stack_outputs: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> None:
        self.project = project
        self.stack = stack
        self.region = region or "us-east-1"
        self.account = account or DEFAULT_ACCOUNT
        # In a preview, what the offline run cannot know is answered with the engine's unknown sentinel;
        # otherwise it is absent, and the run says so (``stack_references``, ``unanswered_invokes``).
        self.preview = preview
        # As the engine previews (the aws provider's Create in preview): every AWS output that is not an
        # input (an ARN, an id) is unknown; inputs, the auto-name Check gave and the region are known.
        self.computed_unknown = preview and computed_unknown
        self.providers: dict[str, dict[str, Any]] = {}  # provider URN -> its inputs
        self.unanswered_invokes: set[str] = set()
        self.stack_references: dict[str, str] = {}  # URN -> the referenced stack's name
        # Outputs of referenced stacks the user supplied (`enclave check --stack-outputs`), by stack name: the
        # engine reads a StackReference from the backend, and so does the offline run when it is given them.
        self.stack_outputs: dict[str, dict[str, Any]] = {k: dict(v) for k, v in (stack_outputs or {}).items()}
        self.supplied_references: dict[str, str] = {}  # URN -> name, for the references answered from those

    def provider_inputs(self, provider_ref: str | None) -> dict[str, Any] | None:
        if not provider_ref:
            return None
        return self.providers.get(provider_ref.rsplit("::", 1)[0])

    def placement(self, inputs: Mapping[str, Any], provider_ref: str | None) -> tuple[str, str]:
        provider = self.provider_inputs(provider_ref)
        # The region the pack will judge (residency.regions.effective_region). When that is undeterminable (an
        # explicit provider without a region: the deployer's environment decides), an ARN still needs one:
        # the stack's. The pack judges such a resource's own placement UNKNOWN (blocking) regardless.
        region = effective_region(inputs, provider, self.region) or self.region
        account = provider_account(provider or {}) or self.account
        return str(region), account

    def new_resource(self, args: MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
        inputs = plain(args.inputs)
        urn = f"urn:pulumi:{self.stack}::{self.project}::{args.typ}::{args.name}"
        package, module, resource = ids.split_token(args.typ)
        if package == "pulumi" and module == "providers":
            return f"{args.name}-provider-id", inputs
        if args.typ == STACK_REFERENCE:
            # Another stack's outputs do not exist offline unless supplied: unknown in a preview; outside one,
            # an empty map (get_output() gives None), and the run is repeated as a preview (see unknowns.py).
            supplied = self.stack_outputs.get(str(inputs.get("name") or args.name))
            outputs: Any = supplied if supplied is not None else rpc.UNKNOWN if self.preview else {}
            return args.name, {**inputs, "name": args.name, "outputs": outputs, "secretOutputNames": []}
        if package == "kubernetes":
            return self._kubernetes(args.name, urn, inputs)
        if package != "aws":
            return f"{args.name}-{ids.digest(urn, 8)}", inputs
        region, account = self.placement(inputs, args.provider)
        if region == rpc.UNKNOWN:
            # Where the resource will be is unknown, so is everything AWS derives from it (ARNs, endpoints).
            return f"{args.name}-{ids.digest(urn, 8)}", inputs
        name = ids.physical_name(args.name, urn, module, resource, inputs)
        id_ = ids.aws_id(module, resource, name, urn)
        arn = ids.aws_arn(module, resource, name=name, id_=id_, region=region, account=account)
        state = {**inputs, "region": region}
        # The provider auto-names resources; its outputs carry the physical name under the name property.
        state.setdefault(ids.name_property(module, resource), name)
        if ids.has_arn(module, resource):
            state["arn"] = arn
        state.update(_type_specific(module, resource, name, id_, arn, region, account, urn, inputs))
        if self.computed_unknown:
            known = {**inputs, "region": region, ids.name_property(module, resource): name}
            computed = {k: rpc.UNKNOWN for k in state if k != "id"}
            return "", {**computed, **{k: v for k, v in known.items() if k in state}}
        return state.pop("id", id_), state

    def _kubernetes(self, logical: str, urn: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        metadata = dict(inputs.get("metadata") or {})
        metadata.setdefault("name", f"{logical}-{ids.digest(urn, 8)}")
        metadata.setdefault("uid", ids.stable_uuid(urn))
        namespace = metadata.get("namespace")
        id_ = f"{namespace}/{metadata['name']}" if namespace else metadata["name"]
        return id_, {**inputs, "metadata": metadata}

    def call(self, args: MockCallArgs) -> dict[str, Any]:  # type: ignore[override]
        region, account = self.placement(plain(args.args) or {}, args.provider)
        answer = answer_invoke(args.token, plain(args.args) or {}, region=region, account=account)
        if answer is None:
            self.unanswered_invokes.add(args.token)
            return {}
        return answer


def _type_specific(
    module: str,
    resource: str,
    name: str,
    id_: str,
    arn: str,
    region: str,
    account: str,
    urn: str,
    inputs: dict[str, Any],
) -> dict[str, Any]:
    key = (module, resource)
    if key in {("s3", "bucket"), ("s3", "bucketV2")}:
        return {
            "bucket": name,
            "bucketDomainName": f"{name}.s3.amazonaws.com",
            "bucketRegionalDomainName": f"{name}.s3.{region}.amazonaws.com",
        }
    if key in {("kms", "key"), ("kms", "replicaKey")}:
        return {"keyId": id_}
    if key == ("kms", "alias"):
        return {"name": name, "targetKeyArn": inputs.get("targetKeyId")}
    if key == ("iam", "role"):
        return {"name": name, "uniqueId": "AROA" + ids.digest(urn, 17).upper(), "id": name}
    if key == ("iam", "policy"):
        return {"name": name, "policyId": "ANPA" + ids.digest(urn, 17).upper(), "id": arn}
    if key in {("sns", "topic"), ("secretsmanager", "secret"), ("iam", "policy")}:
        return {"id": arn}
    if key == ("ec2", "vpc"):
        return {
            "defaultSecurityGroupId": "sg-" + ids.digest(urn + "sg", 17),
            "mainRouteTableId": "rtb-" + ids.digest(urn + "rtb", 17),
            "defaultNetworkAclId": "acl-" + ids.digest(urn + "acl", 17),
            "ownerId": account,
        }
    if key == ("ec2", "vpcEndpoint"):
        return {"prefixListId": "pl-" + ids.digest(urn, 8), "dnsEntries": []}
    if key == ("eks", "cluster"):
        return {
            "endpoint": f"https://{ids.digest(urn, 32).upper()}.gr7.{region}.eks.amazonaws.com",
            "certificateAuthority": {"data": "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg=="},
            "identities": [
                {"oidcs": [{"issuer": f"https://oidc.eks.{region}.amazonaws.com/id/{ids.digest(urn, 32)}"}]}
            ],
            "clusterId": ids.stable_uuid(urn),
            "status": "ACTIVE",
        }
    if key == ("ecr", "repository"):
        return {"repositoryUrl": f"{account}.dkr.ecr.{region}.amazonaws.com/{name}", "registryId": account}
    if key == ("cloudtrail", "trail"):
        return {"homeRegion": region}
    if key == ("cloudfront", "distribution"):
        return {"domainName": f"d{ids.digest(urn, 13)}.cloudfront.net", "hostedZoneId": "Z2FDTNDATAQYW2"}
    if key == ("lambda", "layerVersion"):
        return {"layerArn": arn.rsplit(":", 1)[0], "version": "1"}
    if key == ("dynamodb", "table"):
        return {"streamArn": f"{arn}/stream/2026-01-01T00:00:00.000"}
    return {}
