"""Where an AWS service endpoint override sends the provider's API calls.

A provider's ``endpoints`` (or the stack's ``aws:endpoints`` config) replaces the URL the provider calls
for a service: every request, and the data in it, goes there instead of the region's own endpoint. An
override is judged like a placement: an AWS endpoint names its region in its host name
(``s3.eu-west-1.amazonaws.com``, ``kms-fips.eu-west-1.amazonaws.com``, ``sts.eu-west-1.api.aws``,
``vpce-0a1b.s3.eu-west-1.vpce.amazonaws.com``); anything else (a proxy, LocalStack, a host outside AWS,
an AWS host that names no region) cannot be shown to stay in the jurisdiction.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from residency.regions import is_known_region

# DNS suffixes of AWS service endpoints (commercial and China partitions, dual-stack api.aws).
AWS_DOMAINS: tuple[str, ...] = (".amazonaws.com", ".amazonaws.com.cn", ".api.aws")


@dataclass(frozen=True)
class EndpointOverride:
    """One service's endpoint override: ``region`` None means it cannot be placed; ``why`` then completes
    the sentence "the override ... " (``is not an AWS endpoint (host 'localhost')``)."""

    service: str
    url: str
    region: str | None
    why: str = ""

    def describe(self) -> str:
        return f"endpoint override {self.service}={self.url}"


def place_endpoint(service: str, url: str) -> EndpointOverride:
    """The region an endpoint URL belongs to, when it is an AWS endpoint that names one."""
    host = (urlsplit(url if "://" in url else f"https://{url}").hostname or "").lower()
    if not host.endswith(AWS_DOMAINS):
        return EndpointOverride(service, url, None, f"is not an AWS endpoint (host {host or url!r})")
    regions = [label for label in host.split(".") if is_known_region(label.removesuffix("-fips"))]
    if len(regions) != 1:
        return EndpointOverride(service, url, None, f"names no single AWS region (host {host!r})")
    return EndpointOverride(service, url, regions[0].removesuffix("-fips"))


def endpoint_overrides(value: Any) -> list[EndpointOverride]:
    """Every override in a provider's ``endpoints`` input or the ``aws:endpoints`` config.

    Both arrive as a list of ``{service: url}`` tables, on the wire often JSON-encoded in a string. A value
    that cannot be read is one override that cannot be placed, never none.
    """
    if value is None or value == "" or value == []:
        return []
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return [EndpointOverride("endpoints", value, None, "is not readable as a list of {service: url} tables")]
    tables = [value] if isinstance(value, Mapping) else value
    if not isinstance(tables, list | tuple):
        return [EndpointOverride("endpoints", repr(value), None, "is not readable as a list of {service: url} tables")]
    overrides: list[EndpointOverride] = []
    for table in tables:
        if not isinstance(table, Mapping):
            overrides.append(EndpointOverride("endpoints", repr(table), None, "is not a {service: url} table"))
            continue
        for service, url in table.items():
            if url is None or url == "":
                continue
            if not isinstance(url, str):
                overrides.append(EndpointOverride(str(service), repr(url), None, "is not a URL"))
            else:
                overrides.append(place_endpoint(str(service), url))
    return overrides
