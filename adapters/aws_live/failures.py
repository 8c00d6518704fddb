"""What kind of failure an AWS answer is, so that a report says what to do about it.

"Missing permission" is only the right advice when AWS said so. A server error (HTTP 5xx) or throttling
past every retry is AWS's side or the account's request rate; naming a permission there sends the auditor
to fix the wrong thing. Throttling and transient errors are recognised with botocore's own retry checkers,
the same ones that decided to retry the call, so the two never disagree.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

# Error codes that mean "the caller lacks permission", across services.
ACCESS_DENIED_CODES = frozenset(
    {
        "AccessDenied",
        "AccessDeniedException",
        "UnauthorizedOperation",
        "AuthorizationError",
        "AuthorizationErrorException",
        "UnauthorizedAccess",
        "Forbidden",
        "403",
    }
)

# Exceptions botocore raises when no answer arrived at all (its class name becomes the failure's code).
NETWORK_ERRORS = frozenset(
    {
        "EndpointConnectionError",
        "ConnectTimeoutError",
        "ReadTimeoutError",
        "ConnectionClosedError",
        "ProxyConnectionError",
        "SSLError",
    }
)


class FailureKind(StrEnum):
    ACCESS_DENIED = "access-denied"
    THROTTLED = "throttled"
    SERVER_ERROR = "server-error"
    NETWORK = "network"
    OTHER = "other"


class _Response:
    def __init__(self, status: int) -> None:
        self.status_code = status


def classify(code: str, status: int | None) -> FailureKind:
    # Imported here: the scanners' permission tables are read by the Pulumi program, which must not load botocore.
    from botocore.retries.standard import RetryContext, ThrottledRetryableChecker, TransientRetryableChecker

    if code in ACCESS_DENIED_CODES or status == 403:
        return FailureKind.ACCESS_DENIED
    if code in NETWORK_ERRORS:
        return FailureKind.NETWORK
    context = RetryContext(
        attempt_number=1,
        parsed_response={"Error": {"Code": code}},
        http_response=_Response(status) if status is not None else None,
    )
    if ThrottledRetryableChecker().is_retryable(context) or status == 429:
        return FailureKind.THROTTLED
    if TransientRetryableChecker().is_retryable(context) or (status is not None and status >= 500):
        return FailureKind.SERVER_ERROR
    return FailureKind.OTHER


def explain(kind: FailureKind, permission: str) -> str:
    """The advice after "X failed (code: detail); ..."."""
    if kind is FailureKind.ACCESS_DENIED:
        return f"missing IAM permission {permission}"
    if kind is FailureKind.THROTTLED:
        return (
            "AWS throttled the call past every retry, not a permission problem: run again later or raise --max-retries"
        )
    if kind is FailureKind.SERVER_ERROR:
        return "AWS answered with a server error, not a permission problem: run again later"
    if kind is FailureKind.NETWORK:
        return "no answer from the endpoint (network or timeout): check connectivity and run again"
    return f"needs IAM permission {permission}"


def client_error_fields(err: Any) -> tuple[str, str, int | None]:
    """(code, message, HTTP status) of a botocore ClientError."""
    error = err.response.get("Error", {})
    status = err.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    code = str(error.get("Code") or (status if status else "Unknown"))
    detail = str(error.get("Message", "")) or str(err)
    return code, detail, int(status) if status else None
