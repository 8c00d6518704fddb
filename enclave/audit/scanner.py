"""Scan a live AWS account: (region, service) pairs on a bounded thread pool, facts and failures out.

The caller passes in a boto3 Session (standard credential chain, optional profile); every client is made
from it here, with adaptive retries and timeouts. Nothing in this module judges a fact: the rules do.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError, EndpointConnectionError, NoCredentialsError

from adapters.aws_live import SCANNERS
from adapters.aws_live.api import Api, ApiFailure, ClientFactory, FailureLog, ServiceScanner, client_config
from adapters.aws_live.failures import FailureKind, classify, client_error_fields
from residency.jurisdictions import Jurisdiction
from residency.model import Fact
from residency.regions import AWS_COMMERCIAL_REGIONS, is_known_region
from residency.rule_ids import LOCATION


class AuditSetupError(Exception):
    """The audit cannot start (no credentials, unreachable endpoint, bad region): one line, exit 2."""


@dataclass(frozen=True)
class AuditRequest:
    jurisdiction: Jurisdiction
    # None: every commercial region enabled in the account (ec2:DescribeRegions).
    regions: tuple[str, ...] | None = None
    all_regions: bool = False
    services: tuple[str, ...] = tuple(SCANNERS)
    endpoint_url: str | None = None
    max_workers: int = 8
    max_retries: int = 5
    connect_timeout: float = 5.0
    read_timeout: float = 30.0


@dataclass
class AuditScan:
    """What a scan saw. ``facts`` are deduplicated; ``failures`` are calls that returned no evidence."""

    account: str
    regions: list[str]
    region_source: str
    services: list[str]
    endpoint: str | None
    started_at: datetime
    finished_at: datetime
    facts: list[Fact] = field(default_factory=list)
    failures: list[ApiFailure] = field(default_factory=list)
    # Who ran the scan: the caller's ARN from STS GetCallerIdentity.
    identity: str | None = None


@dataclass(frozen=True)
class UnknownRegion(ApiFailure):
    """An enabled region the tool does not know: not scanned, so an ERROR (the audit cannot pass)."""

    def __init__(self, region: str) -> None:
        super().__init__(
            "ec2",
            region,
            "DescribeRegions",
            "ec2:DescribeRegions",
            "UnknownRegion",
            "enabled in the account but not in residency/regions.py",
            "account regions",
            LOCATION,
        )

    @property
    def message(self) -> str:
        return (
            f"region {self.region} is enabled in the account but unknown to this tool, so it was not scanned; "
            "add it to residency/regions.py (and to its jurisdiction in residency/catalogue.toml if it has one)"
        )


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def validate_request(request: AuditRequest) -> None:
    unknown_services = [s for s in request.services if s not in SCANNERS]
    if unknown_services:
        raise AuditSetupError(f"unknown service {unknown_services[0]!r}; allowed: {', '.join(sorted(SCANNERS))}")
    for region in request.regions or ():
        if not is_known_region(region):
            raise AuditSetupError(f"unknown region {region!r}; allowed: {', '.join(sorted(AWS_COMMERCIAL_REGIONS))}")
    if request.max_workers < 1 or request.max_workers > 64:
        raise AuditSetupError(f"--max-workers {request.max_workers} must be between 1 and 64")


# STS answers these when the credentials themselves are not accepted (wrong, expired or unsigned).
CREDENTIAL_CODES = frozenset(
    {
        "InvalidClientTokenId",
        "SignatureDoesNotMatch",
        "ExpiredToken",
        "ExpiredTokenException",
        "UnrecognizedClientException",
        "IncompleteSignature",
        "InvalidAccessKeyId",
        "AccessDenied",
    }
)


def caller_identity(session: Any, request: AuditRequest) -> dict[str, str]:
    """The identity that runs the audit (STS GetCallerIdentity); any failure means the audit cannot run."""
    # Few retries: an unreachable endpoint or missing credentials should fail in seconds, not minutes.
    config = client_config(1, request.connect_timeout, request.read_timeout)
    where = request.endpoint_url or "AWS"
    try:
        sts = session.client(
            "sts", region_name=request.jurisdiction.home_region, endpoint_url=request.endpoint_url, config=config
        )
        answer = sts.get_caller_identity()
        return {
            "account": str(answer["Account"]),
            "arn": str(answer.get("Arn", "")),
            "user_id": str(answer.get("UserId", "")),
        }
    except NoCredentialsError:
        raise AuditSetupError(
            "no AWS credentials found (use --profile, AWS_PROFILE or the AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY "
            "environment variables)"
        ) from None
    except EndpointConnectionError as err:
        raise AuditSetupError(f"cannot reach {where}: {err}") from None
    except ClientError as err:
        code, detail, status = client_error_fields(err)
        if code in CREDENTIAL_CODES:
            raise AuditSetupError(f"credentials rejected by {where}: {code}: {detail}") from None
        kind = classify(code, status)
        if kind is FailureKind.THROTTLED:
            raise AuditSetupError(
                f"{where} throttled sts:GetCallerIdentity ({code}: {detail}); the credentials were not judged: "
                "run again in a minute"
            ) from None
        if kind is FailureKind.SERVER_ERROR:
            raise AuditSetupError(
                f"{where} answered sts:GetCallerIdentity with a server error ({code}: {detail}); run again later"
            ) from None
        raise AuditSetupError(f"sts:GetCallerIdentity failed at {where}: {code}: {detail}") from None
    except (BotoCoreError, ValueError) as err:
        raise AuditSetupError(f"cannot start the audit against {where}: {err}") from None


def _regions(clients: ClientFactory, request: AuditRequest, failures: FailureLog) -> tuple[list[str], str]:
    if request.regions:
        return sorted(set(request.regions)), "--regions"
    if request.all_regions:
        return sorted(AWS_COMMERCIAL_REGIONS), "--all-regions (every commercial region)"
    home = request.jurisdiction.home_region
    try:
        answer = clients.client("ec2", home).describe_regions(AllRegions=False)
        enabled = {r["RegionName"] for r in answer.get("Regions", [])}
        # A region AWS launched after this tool's list was written may hold data; never drop it silently.
        for region in sorted(enabled - AWS_COMMERCIAL_REGIONS):
            failures.add(UnknownRegion(region))
        return sorted(enabled & AWS_COMMERCIAL_REGIONS), "every region enabled in the account (ec2:DescribeRegions)"
    except (ClientError, BotoCoreError) as err:
        status: int | None = None
        if isinstance(err, ClientError):
            code, detail, status = client_error_fields(err)
        else:
            code, detail = type(err).__name__, str(err)
        failures.add(
            ApiFailure(
                "ec2",
                home,
                "DescribeRegions",
                "ec2:DescribeRegions",
                code,
                detail.splitlines()[0] if detail else code,
                "account regions",
                LOCATION,
                status,
            )
        )
        return sorted(AWS_COMMERCIAL_REGIONS), "every commercial region (DescribeRegions failed)"


# progress(done, total): called as API work finishes; the total grows as discovery finds resources.
ScanProgress = Callable[[int, int], None]


def scan(session: Any, request: AuditRequest, progress: ScanProgress | None = None) -> AuditScan:
    """Run every requested scanner over every region. Raises AuditSetupError only before scanning starts."""
    validate_request(request)
    started = _now()
    identity = caller_identity(session, request)
    account = identity["account"]
    config = client_config(request.max_retries, request.connect_timeout, request.read_timeout)
    clients = ClientFactory(session, config, request.endpoint_url)
    failures = FailureLog()
    regions, region_source = _regions(clients, request, failures)
    scanners = [SCANNERS[name] for name in request.services]
    facts = _run_pool(scanners, regions, request, clients, failures, account, progress)
    return AuditScan(
        account=account,
        identity=identity["arn"],
        regions=regions,
        region_source=region_source,
        services=[s.name for s in scanners],
        endpoint=request.endpoint_url,
        started_at=started,
        finished_at=_now(),
        facts=sorted(set(facts), key=repr),
        failures=failures.items(),
    )


def _run_pool(
    scanners: Sequence[ServiceScanner],
    regions: Sequence[str],
    request: AuditRequest,
    clients: ClientFactory,
    failures: FailureLog,
    account: str,
    progress: ScanProgress | None = None,
) -> list[Fact]:
    """Discover every (service, region) pair, then inspect each discovered item, all on one bounded pool.

    Only this (calling) thread submits work, so a worker never waits on another worker.
    """
    facts: list[Fact] = []
    done_count = 0
    with ThreadPoolExecutor(max_workers=request.max_workers, thread_name_prefix="audit") as pool:
        pending: dict[Future[Any], tuple[str, Api]] = {}
        for scanner in scanners:
            # Global services are listed once, from their control plane's region or the jurisdiction's home.
            home = scanner.fixed_region or request.jurisdiction.home_region
            for region in [home] if scanner.is_global else regions:
                api = Api(scanner, region, clients, failures, account)
                pending[pool.submit(scanner.discover, api)] = ("discover", api)
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                step, api = pending.pop(future)
                done_count += 1
                try:
                    result = future.result()
                except Exception as err:  # a scanner bug or an unexpected answer: named, never silent
                    failures.add(_crash(api, step, err))
                    continue
                if step == "discover":
                    for item in result:
                        pending[pool.submit(api.scanner.inspect, api, item)] = ("inspect", api)
                else:
                    facts.extend(result)
            if progress is not None:
                progress(done_count, done_count + len(pending))
    return facts


def _crash(api: Api, step: str, err: Exception) -> ApiFailure:
    return ApiFailure(
        service=api.scanner.name,
        region=api.region,
        operation=f"{step} (scanner)",
        permission="n/a",
        code=type(err).__name__,
        detail=str(err).splitlines()[0] if str(err) else type(err).__name__,
        resource=f"{api.scanner.name}:{api.region}",
        rule=api.scanner.discovery_rule,
    )
