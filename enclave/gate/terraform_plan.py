"""Captured Pulumi resources -> Terraform plan JSON, so checkov's AWS checks can judge a Pulumi program.

pulumi-aws is bridged from the Terraform AWS provider, so a resource's Terraform twin is systematic:
the type comes from ``terraform_types``; camelCase properties become snake_case attributes; a nested object
(a Terraform block with at most one item, which the bridge flattens) becomes a one-item list of blocks; a
list of objects (a repeatable block, which the bridge pluralises: ``rule`` -> ``rules``) gets its singular
Terraform name back. Maps (``tags``, Lambda ``variables``) stay maps. Property dependencies become
``configuration`` references, so checkov's graph checks (a bucket has a public-access block, a VPC has flow
logs) see which resources belong together.

A custom resource whose type has no Terraform equivalent is listed in ``unmapped_types``, never dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from enclave.gate.terraform_types import snake_case, terraform_type
from enclave.offline.model import CapturedResource

FORMAT_VERSION = "1.2"
TERRAFORM_VERSION = "1.9.0"
AWS_PROVIDER_NAME = "registry.terraform.io/hashicorp/aws"

# Attributes whose object value is a map of user keys, not a nested block.
MAP_ATTRIBUTES = frozenset(
    {"tags", "tags_all", "variables", "labels", "annotations", "parameters", "environment_variables", "context"}
)
_INVALID_NAME_CHARS = re.compile(r"[^A-Za-z0-9_-]")


@dataclass
class TerraformPlan:
    """The plan document plus what is needed to map checkov's findings back to Pulumi."""

    document: dict[str, Any]
    address_to_urn: dict[str, str] = field(default_factory=dict)
    unmapped_types: list[str] = field(default_factory=list)


def singular(name: str) -> str:
    """Undo the bridge's pluralisation of a repeatable block name (``rules`` -> ``rule``)."""
    if name.endswith("ies"):
        return name[:-3] + "y"
    if name.endswith(("sses", "xes", "ches", "shes")):
        return name[:-2]
    if name.endswith("s") and not name.endswith(("ss", "us", "is")):
        return name[:-1]
    return name


# The engine's wire sentinel for a value unknown during preview; a Terraform plan carries it as null.
ENGINE_UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"


def _scalar(value: Any) -> Any:
    # The engine sends every number as a float; Terraform plans carry integers as integers.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None if value == ENGINE_UNKNOWN else value


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return _scalar(value)


def _is_block_list(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, Mapping) for v in value)


def convert_attributes(props: Mapping[str, Any]) -> dict[str, Any]:
    """Pulumi properties (camelCase wire names) -> Terraform attribute values."""
    out: dict[str, Any] = {}
    for key, value in props.items():
        if key.startswith("__"):  # engine bookkeeping such as __defaults
            continue
        name = snake_case(key)
        if isinstance(value, Mapping):
            out[name] = _plain(value) if name in MAP_ATTRIBUTES else [convert_attributes(value)]
        elif _is_block_list(value):
            out[singular(name)] = [convert_attributes(v) for v in value]
        elif isinstance(value, list):
            out[name] = [_plain(v) for v in value]
        else:
            out[name] = _scalar(value)
    return out


def _unique_name(resource: CapturedResource, tf_type: str, taken: set[str]) -> str:
    base = _INVALID_NAME_CHARS.sub("_", resource.name) or "resource"
    if base[0].isdigit():
        base = f"r_{base}"
    name, n = base, 2
    while f"{tf_type}.{name}" in taken:
        name, n = f"{base}_{n}", n + 1
    return name


def build_plan(resources: Iterable[CapturedResource], region: str | None = None) -> TerraformPlan:
    """Translate the AWS resources of one program run into a Terraform plan document."""
    plan = TerraformPlan(document={})
    planned: list[dict[str, Any]] = []
    changes: list[dict[str, Any]] = []
    config_resources: list[dict[str, Any]] = []
    urn_to_address: dict[str, str] = {}
    pending: list[tuple[CapturedResource, dict[str, Any]]] = []
    unmapped: set[str] = set()
    for res in resources:
        if not res.custom or res.is_provider:
            continue  # components and providers are not cloud resources
        tf_type = terraform_type(res.type)
        if tf_type is None:
            unmapped.add(res.type)
            continue
        name = _unique_name(res, tf_type, set(urn_to_address.values()))
        address = f"{tf_type}.{name}"
        urn_to_address[res.urn] = address
        plan.address_to_urn[address] = res.urn
        values = convert_attributes({**res.outputs, **res.inputs})
        entry = {
            "address": address,
            "mode": "managed",
            "type": tf_type,
            "name": name,
            "provider_name": AWS_PROVIDER_NAME,
            "schema_version": 0,
            "values": values,
        }
        planned.append(entry)
        changes.append(
            {
                "address": address,
                "mode": "managed",
                "type": tf_type,
                "name": name,
                "provider_name": AWS_PROVIDER_NAME,
                "change": {"actions": ["create"], "before": None, "after": values, "after_unknown": {}},
            }
        )
        pending.append((res, entry))
    # References need every address, so they are resolved after all resources are named.
    for res, entry in pending:
        expressions: dict[str, Any] = {}
        for prop, deps in res.property_dependencies.items():
            refs = [ref for urn in deps if (addr := urn_to_address.get(urn)) for ref in (f"{addr}.id", addr)]
            if refs:
                expressions[snake_case(prop)] = {"references": refs}
        config_resources.append(
            {
                "address": entry["address"],
                "mode": "managed",
                "type": entry["type"],
                "name": entry["name"],
                "provider_config_key": "aws",
                "expressions": expressions,
                "schema_version": 0,
            }
        )
    provider: dict[str, Any] = {"name": "aws", "full_name": AWS_PROVIDER_NAME, "expressions": {}}
    if region:
        provider["expressions"]["region"] = {"constant_value": region}
    plan.document = {
        "format_version": FORMAT_VERSION,
        "terraform_version": TERRAFORM_VERSION,
        "planned_values": {"root_module": {"resources": planned}},
        "resource_changes": changes,
        "configuration": {"provider_config": {"aws": provider}, "root_module": {"resources": config_resources}},
    }
    plan.unmapped_types = sorted(unmapped)
    return plan
