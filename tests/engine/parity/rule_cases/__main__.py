"""Registers the policy tests' cases (tests/residency_pack/cases.py, one failing and one passing per rule) as a
real program, so the gate and the engine judge the same resources.

Config ``variant``: ``fail`` or ``pass``; ``skip``: rules left out; ``only``: the rules registered (default
every rule). Each case's resources are named ``<rule>--<name>``; a property that depends on another resource
in the case gets its value through that resource's URN, so the engine records the property dependency the
pack resolves, exactly as a program passing an output would. A case's ``protect`` is the resource option.
"""

import pulumi

from tests.engine.providers.versions import plugin_version
from tests.residency_pack.cases import Res, all_cases

VARIANT = pulumi.Config().require("variant")
SKIP = set(filter(None, (pulumi.Config().get("skip") or "").split(",")))
ONLY = set(filter(None, (pulumi.Config().get("only") or "").split(",")))


def depends_on(value: object, resources: list[pulumi.Resource]) -> pulumi.Output[object]:
    return pulumi.Output.all(*[r.urn for r in resources]).apply(lambda _: value)


def register(rule: str, case: list[Res]) -> None:
    made: dict[str, pulumi.Resource] = {}
    for res in case:
        name = f"{rule}--{res.name}"
        props: dict[str, object] = dict(res.props)
        for prop, names in res.deps.items():
            props[prop] = depends_on(props.get(prop), [made[n] for n in names])
        if res.type.startswith("pulumi:providers:"):
            made[res.name] = pulumi.ProviderResource(res.type.removeprefix("pulumi:providers:"), name, props)
            continue
        provider = made[res.provider] if res.provider else None
        # Ask for the plugin version the package's SDK would, as its typed classes do.
        version = plugin_version(res.type.split(":", 1)[0])
        opts = pulumi.ResourceOptions(provider=provider, version=version, protect=res.protect)  # type: ignore[arg-type]
        made[res.name] = pulumi.CustomResource(res.type, name, props, opts=opts)


for rule, (failing, passing) in sorted(all_cases().items()):
    if rule not in SKIP and (not ONLY or rule in ONLY):
        register(rule, failing if VARIANT == "fail" else passing)
