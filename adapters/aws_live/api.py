"""How service scanners talk to AWS: one ``Api`` per (service, region), failures recorded, never raised.

A scanner never builds a client itself: it receives an ``Api`` bound to a client made from the boto3
Session the caller passed in (no module-level clients, so tests pass a session aimed at an emulator).
Every call names the IAM action it needs (``ServiceScanner.permissions``, the single source of the
auditor's least-privilege policy) and the rule whose evidence it gathers, so a failure becomes an
ERROR finding that says which permission is missing instead of a silent pass.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from adapters.aws_live.failures import FailureKind, classify, client_error_fields, explain
from residency.model import Fact
from residency.rule_ids import LOCATION

# botocore is imported where a call is made, not at import time: the scanners' permission tables (and so
# ``iam_actions()``) are read by the Pulumi program (components/access.py), which must not load botocore.
if TYPE_CHECKING:
    from botocore.config import Config


@dataclass(frozen=True)
class ApiFailure:
    """One API call that did not return evidence. Becomes an ERROR finding for ``rule``."""

    service: str
    region: str
    operation: str
    permission: str
    code: str
    detail: str
    resource: str
    rule: str
    # The HTTP status of AWS's answer, when there was one (a network failure has none).
    status: int | None = None

    @property
    def kind(self) -> FailureKind:
        return classify(self.code, self.status)

    @property
    def access_denied(self) -> bool:
        return self.kind is FailureKind.ACCESS_DENIED

    @property
    def message(self) -> str:
        what = f"{self.service} {self.operation} in {self.region} failed ({self.code}: {self.detail})"
        return f"{what}; {explain(self.kind, self.permission)}"

    def as_dict(self) -> dict[str, str]:
        return {
            "service": self.service,
            "region": self.region,
            "operation": self.operation,
            "permission": self.permission,
            "code": self.code,
            "kind": str(self.kind),
            "resource": self.resource,
            "rule": self.rule,
            "message": self.message,
        }


class FailureLog:
    """Thread-safe collection of the run's API failures."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: list[ApiFailure] = []

    def add(self, failure: ApiFailure) -> None:
        with self._lock:
            self._items.append(failure)

    def items(self) -> list[ApiFailure]:
        with self._lock:
            return list(self._items)


def client_config(max_retries: int, connect_timeout: float, read_timeout: float) -> Config:
    # Adaptive mode adds client-side rate limiting on top of exponential backoff on throttling errors.
    # botocore's "max_attempts" counts retries after the first attempt: a call is tried max_retries + 1 times.
    from botocore.config import Config

    return Config(
        retries={"mode": "adaptive", "max_attempts": max_retries},
        connect_timeout=connect_timeout,
        read_timeout=read_timeout,
    )


def _strip_account_label(request: Any, **_: Any) -> None:
    # S3 Control puts the account id in front of the host ("123456789012.s3-control...."). An emulator
    # serves every account at one address and reads the account from the x-amz-account-id header instead.
    account = request.headers.get("x-amz-account-id")
    if isinstance(account, bytes):
        account = account.decode()
    if account:
        request.url = request.url.replace(f"//{account}.", "//", 1)


class ClientFactory:
    """Makes (and caches) one client per (service, region) from the caller's boto3 Session.

    boto3 Sessions are not thread-safe, so client creation is serialised; the clients themselves are.
    """

    def __init__(self, session: Any, config: Config, endpoint_url: str | None = None) -> None:
        self.session = session
        self.config = config
        self.endpoint_url = endpoint_url
        self._lock = threading.Lock()
        self._clients: dict[tuple[str, str], Any] = {}

    def client(self, service: str, region: str) -> Any:
        with self._lock:
            key = (service, region)
            if key not in self._clients:
                client = self.session.client(
                    service, region_name=region, endpoint_url=self.endpoint_url, config=self.config
                )
                if service == "s3control" and self.endpoint_url:
                    # Before signing, so the signature covers the address the emulator receives.
                    client.meta.events.register("before-sign.s3-control", _strip_account_label)
                self._clients[key] = client
            return self._clients[key]


class Api:
    """Calls one service in one region for a scanner, recording every failure in ``failures``."""

    def __init__(
        self,
        scanner: ServiceScanner,
        region: str,
        clients: ClientFactory,
        failures: FailureLog,
        account: str,
        client_name: str | None = None,
    ) -> None:
        self.scanner = scanner
        self.region = region
        self.clients = clients
        self.failures = failures
        self.account = account
        # The scanner's own client unless it asked for one of its other clients (``using``).
        self.client_name = client_name or scanner.client_name
        self.cache: dict[str, Any] = {}

    def in_region(self, region: str) -> Api:
        return Api(self.scanner, region, self.clients, self.failures, self.account, self.client_name)

    def using(self, client_name: str, region: str | None = None) -> Api:
        """The same scanner calling another client (listed in ``ServiceScanner.other_clients``)."""
        return Api(self.scanner, region or self.region, self.clients, self.failures, self.account, client_name)

    @property
    def client(self) -> Any:
        return self.clients.client(self.client_name, self.region)

    @property
    def permissions(self) -> Mapping[str, str]:
        return self.scanner.permissions_for(self.client_name)

    def _operation(self, method: str) -> str:
        operation: str = self.client.meta.method_to_api_mapping[method]
        if operation not in self.permissions:
            # A programming error: every call must be in the least-privilege policy.
            raise LookupError(f"{self.scanner.name}: {self.client_name} {operation} is not listed in its permissions")
        return operation

    def call(
        self,
        method: str,
        *,
        rule: str,
        resource: str,
        absent: Iterable[str] = (),
        quiet: bool = False,
        **params: Any,
    ) -> dict[str, Any] | None:
        """The response, ``{}`` when AWS answers with one of the ``absent`` codes ("not configured"), or
        None when the call failed (recorded unless ``quiet``: the caller treats the answer as unknowable)."""
        from botocore.exceptions import BotoCoreError, ClientError

        operation = self._operation(method)
        try:
            response: dict[str, Any] = getattr(self.client, method)(**params)
            return response
        except ClientError as err:
            code, detail, status = client_error_fields(err)
            if code in set(absent):
                return {}
            self._fail(operation, code, detail, resource, rule, quiet, status)
        except BotoCoreError as err:
            self._fail(operation, type(err).__name__, str(err), resource, rule, quiet)
        return None

    def pages(
        self, method: str, *, rule: str, resource: str, absent: Iterable[str] = (), **params: Any
    ) -> list[dict[str, Any]] | None:
        """Every page of a list call (paginated where boto3 has a paginator), ``[]`` when AWS answers with
        one of the ``absent`` codes, or None when it failed."""
        from botocore.exceptions import BotoCoreError, ClientError

        operation = self._operation(method)
        if not self.client.can_paginate(method):
            page = self.call(method, rule=rule, resource=resource, absent=absent, **params)
            return None if page is None else [page]
        try:
            return list(self.client.get_paginator(method).paginate(**params))
        except ClientError as err:
            code, detail, status = client_error_fields(err)
            if code in set(absent):
                return []
            self._fail(operation, code, detail, resource, rule, False, status)
        except BotoCoreError as err:
            self._fail(operation, type(err).__name__, str(err), resource, rule, False)
        return None

    def items(
        self, method: str, key: str, *, rule: str, resource: str, absent: Iterable[str] = (), **params: Any
    ) -> list[Any] | None:
        pages = self.pages(method, rule=rule, resource=resource, absent=absent, **params)
        if pages is None:
            return None
        return [item for page in pages for item in page.get(key, [])]

    def arn(self, service: str, resource: str) -> str:
        return f"arn:aws:{service}:{self.region}:{self.account}:{resource}"

    def _fail(
        self, operation: str, code: str, detail: str, resource: str, rule: str, quiet: bool, status: int | None = None
    ) -> None:
        if quiet:
            return
        first_line = detail.strip().splitlines()[0][:300] if detail.strip() else code
        if first_line.startswith("<"):
            # An HTML error page (a proxy, an emulator, an outage) is not worth quoting.
            first_line = "the endpoint answered with an error page, not an AWS error"
        self.failures.add(
            ApiFailure(
                service=self.scanner.name if self.client_name == self.scanner.client_name else self.client_name,
                region=self.region,
                operation=operation,
                permission=self.permissions[operation],
                code=code,
                detail=first_line,
                resource=resource,
                rule=rule,
                status=status,
            )
        )


@dataclass(frozen=True)
class ServiceScanner:
    """One AWS service's read-only scan, in two steps so the orchestrator can spread the work:

    ``discover(api)`` lists the service's resources in ``api.region`` (cheap list calls);
    ``inspect(api, item)`` describes one of them and returns its facts. ``is_global`` services (S3) are
    discovered once per account rather than per region.
    """

    name: str
    client_name: str
    permissions: Mapping[str, str]
    discover: Callable[[Api], list[Any]]
    inspect: Callable[[Api, Any], Iterable[Fact]]
    is_global: bool = False
    # Rule reported when the discovery (list) call itself fails: nothing in the region can be judged.
    discovery_rule: str = LOCATION
    # Further clients the scanner calls: client name -> (operation -> IAM action). The same operation
    # name can need a different action on another client (s3 vs s3control GetPublicAccessBlock).
    other_clients: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    # The one region a global scanner calls (its control plane), instead of the jurisdiction's home region.
    fixed_region: str | None = None

    def permissions_for(self, client_name: str) -> Mapping[str, str]:
        if client_name == self.client_name:
            return self.permissions
        return self.other_clients.get(client_name, {})
