"""Plausible answers to the data-source invokes Pulumi AWS programs commonly make.

``aws:iam/getPolicyDocument`` is rendered exactly as the Terraform data source does (single values
collapse to strings), because components build policies with it and rules read the resulting JSON.
An invoke with no answer here returns None; the runner reports it rather than guessing.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from enclave.offline.identifiers import digest

Answer = Callable[[Mapping[str, Any], str, str], dict[str, Any]]


def _one_or_list(values: list[Any]) -> Any:
    return values[0] if len(values) == 1 else values


def _principals(items: list[Mapping[str, Any]]) -> Any:
    if len(items) == 1 and items[0].get("type") == "*":
        return "*"
    out: dict[str, Any] = {}
    for p in items:
        out.setdefault(p["type"], []).extend(p.get("identifiers") or [])
    return {k: _one_or_list(v) for k, v in out.items()}


def render_policy_document(args: Mapping[str, Any]) -> dict[str, Any]:
    statements = []
    for s in args.get("statements") or []:
        stmt: dict[str, Any] = {}
        if s.get("sid"):
            stmt["Sid"] = s["sid"]
        stmt["Effect"] = s.get("effect") or "Allow"
        for key, prop in (("Action", "actions"), ("NotAction", "notActions")):
            if s.get(prop):
                stmt[key] = _one_or_list(list(s[prop]))
        for key, prop in (("Resource", "resources"), ("NotResource", "notResources")):
            if s.get(prop):
                stmt[key] = _one_or_list(list(s[prop]))
        for key, prop in (("Principal", "principals"), ("NotPrincipal", "notPrincipals")):
            if s.get(prop):
                stmt[key] = _principals(list(s[prop]))
        if s.get("conditions"):
            cond: dict[str, dict[str, Any]] = {}
            for c in s["conditions"]:
                cond.setdefault(c["test"], {})[c["variable"]] = _one_or_list(list(c.get("values") or []))
            stmt["Condition"] = cond
        statements.append(stmt)
    doc: dict[str, Any] = {"Version": args.get("version") or "2012-10-17"}
    if args.get("policyId"):
        doc["Id"] = args["policyId"]
    doc["Statement"] = statements
    return {
        "json": json.dumps(doc, indent=2),
        "minifiedJson": json.dumps(doc, separators=(",", ":")),
        "id": digest(json.dumps(doc), 10),
    }


def _zones(args: Mapping[str, Any], region: str, account: str) -> dict[str, Any]:
    letters = "abc"
    return {
        "names": [f"{region}{c}" for c in letters],
        "zoneIds": [f"{region[:3]}{region.split('-')[1][:2]}{region[-1]}-az{i + 1}" for i in range(len(letters))],
        "state": "available",
        "id": region,
    }


ANSWERS: dict[str, Answer] = {
    "aws:index/getCallerIdentity:getCallerIdentity": lambda a, r, acct: {
        "accountId": acct,
        "arn": f"arn:aws:iam::{acct}:user/offline",
        "userId": "AIDAOFFLINEEXAMPLE",
        "id": acct,
    },
    "aws:index/getRegion:getRegion": lambda a, r, acct: {
        "name": a.get("name") or r,
        "region": a.get("region") or a.get("name") or r,
        "endpoint": f"ec2.{r}.amazonaws.com",
        "description": r,
        "id": r,
    },
    "aws:index/getPartition:getPartition": lambda a, r, acct: {
        "partition": "aws",
        "dnsSuffix": "amazonaws.com",
        "reverseDnsPrefix": "com.amazonaws",
        "id": "aws",
    },
    "aws:index/getAvailabilityZones:getAvailabilityZones": _zones,
    "aws:iam/getPolicyDocument:getPolicyDocument": lambda a, r, acct: render_policy_document(a),
    "aws:ec2/getAmi:getAmi": lambda a, r, acct: {
        "id": "ami-" + digest(r + json.dumps(a, sort_keys=True, default=str), 17),
        "architecture": "x86_64",
        "name": "al2023-ami-offline",
        "ownerId": "137112412989",
        "rootDeviceName": "/dev/xvda",
    },
    "aws:ec2/getVpc:getVpc": lambda a, r, acct: {
        "id": a.get("id") or "vpc-" + digest(r, 17),
        "cidrBlock": "172.31.0.0/16",
        "default": bool(a.get("default")),
        "arn": f"arn:aws:ec2:{r}:{acct}:vpc/vpc-{digest(r, 17)}",
    },
    "aws:ec2/getSubnets:getSubnets": lambda a, r, acct: {
        "ids": [f"subnet-{digest(r + str(i), 17)}" for i in range(3)],
        "id": r,
    },
    "aws:iam/getRole:getRole": lambda a, r, acct: {
        "arn": f"arn:aws:iam::{acct}:role/{a.get('name')}",
        "name": a.get("name"),
        "id": a.get("name"),
    },
    "aws:kms/getAlias:getAlias": lambda a, r, acct: {
        "arn": f"arn:aws:kms:{r}:{acct}:{a.get('name')}",
        "targetKeyArn": f"arn:aws:kms:{r}:{acct}:key/{digest(str(a.get('name')), 32)}",
        "targetKeyId": digest(str(a.get("name")), 32),
        "id": a.get("name"),
    },
    "aws:ssm/getParameter:getParameter": lambda a, r, acct: {
        "name": a.get("name"),
        "value": "ami-" + digest(str(a.get("name")), 17),
        "type": "String",
        "arn": f"arn:aws:ssm:{r}:{acct}:parameter{a.get('name')}",
        "id": a.get("name"),
    },
    "aws:eks/getClusterAuth:getClusterAuth": lambda a, r, acct: {
        "name": a.get("name"),
        "token": "k8s-aws-v1.offline",
        "id": a.get("name"),
    },
}


def answer_invoke(token: str, args: Mapping[str, Any], *, region: str, account: str) -> dict[str, Any] | None:
    answer = ANSWERS.get(token)
    return None if answer is None else answer(args, region, account)
