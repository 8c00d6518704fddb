"""Route 53 Resolver forwarding rules -> Placement and data-path facts.

A FORWARD rule sends the VPC's DNS queries for a domain to the target IPs: the names of every host the
enclave's workloads look up, and anything a workload encodes into a name, leave the VPC that way. Each rule
is mapped onto the inputs of ``aws:route53/resolverRule:ResolverRule`` and judged by the core's
transfer-data-path rule, exactly as the pack judges the rule before deployment (a public target is a host
outside AWS). SYSTEM and RECURSIVE rules forward nothing.
"""

from __future__ import annotations

from typing import Any

from adapters.aws_live.api import Api, ServiceScanner
from adapters.aws_live.data_paths import data_path_facts
from residency.model import Fact, Placement
from residency.rule_ids import TRANSFER_DATA_PATH

TOKEN = "aws:route53/resolverRule:ResolverRule"
RESOURCE_TYPE = "AWS::Route53Resolver::ResolverRule"
PERMISSIONS = {"ListResolverRules": "route53resolver:ListResolverRules"}


def discover(api: Api) -> list[Any]:
    rules = api.items(
        "list_resolver_rules",
        "ResolverRules",
        rule=TRANSFER_DATA_PATH,
        resource=api.arn("route53resolver", "resolver-rule/*"),
    )
    return [r for r in rules or [] if r.get("RuleType") == "FORWARD" and r.get("Status") != "DELETING"]


def inspect(api: Api, rule: dict[str, Any]) -> list[Fact]:
    arn = rule.get("Arn") or api.arn("route53resolver", f"resolver-rule/{rule.get('Id')}")
    targets = [
        {"ip": t.get("Ip"), "ipv6": t.get("Ipv6"), "port": t.get("Port"), "protocol": t.get("Protocol")}
        for t in rule.get("TargetIps", [])
    ]
    props = {
        "domainName": rule.get("DomainName"),
        "ruleType": "FORWARD",
        "resolverEndpointId": rule.get("ResolverEndpointId"),
        "targetIps": [{k: v for k, v in t.items() if v is not None} for t in targets],
    }
    return [Placement(arn, RESOURCE_TYPE, api.region), *data_path_facts(api, arn, TOKEN, props)]


SCANNER = ServiceScanner(
    name="route53resolver",
    client_name="route53resolver",
    permissions=PERMISSIONS,
    discover=discover,
    inspect=inspect,
    discovery_rule=TRANSFER_DATA_PATH,
)
