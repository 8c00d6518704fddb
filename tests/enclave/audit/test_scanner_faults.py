"""Faults end as named ERRORs and the rest of the audit carries on: throttling, access denied, an API the
endpoint does not implement, a scanner crash. Faults are injected with botocore event hooks and Stubber."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.awsrequest import AWSResponse, HTTPHeaders
from botocore.stub import Stubber

from adapters.aws_live import SCANNERS
from adapters.aws_live.api import Api, ClientFactory, FailureLog, ServiceScanner, client_config
from residency.regions import AWS_COMMERCIAL_REGIONS
from tests.moto_world import audit, make_session, outcomes


class _Raw:
    """The minimal urllib3-like body AWSResponse reads."""

    def __init__(self, body: bytes) -> None:
        self.body = body

    def stream(self, **_: Any) -> Any:
        yield self.body


def s3_error(status: int, code: str, message: str) -> AWSResponse:
    body = f'<?xml version="1.0" encoding="UTF-8"?><Error><Code>{code}</Code><Message>{message}</Message></Error>'
    headers = HTTPHeaders()
    headers["Content-Type"] = "application/xml"
    return AWSResponse("https://s3.amazonaws.com/", status, headers, _Raw(body.encode()))


class Throttle:
    """before-send hook: answer SlowDown for the first ``times`` requests, then let requests through."""

    def __init__(self, times: int) -> None:
        self.times = times
        self.calls = 0

    def __call__(self, **_: Any) -> AWSResponse | None:
        self.calls += 1
        if self.calls <= self.times:
            return s3_error(503, "SlowDown", "Please reduce your request rate.")
        return None


def test_throttling_is_retried_adaptively_then_succeeds(world: Any) -> None:
    session = make_session()
    throttle = Throttle(times=2)
    session.events.register("before-send.s3.ListBuckets", throttle)
    report = audit(world, ("s3",), session=session, request={"max_retries": 4})
    assert throttle.calls == 3  # two throttled attempts, then the real answer
    assert outcomes(report, "ERROR") == set()
    assert ("residency-location", "arn:aws:s3:::stray-bucket-virginia", "us-east-1") in outcomes(report, "FAIL")


def test_throttling_past_the_retry_budget_is_a_named_error_and_other_services_continue(world: Any) -> None:
    session = make_session()
    throttle = Throttle(times=100)
    session.events.register("before-send.s3.ListBuckets", throttle)
    report = audit(world, ("s3", "kms"), session=session, request={"max_retries": 2})
    assert throttle.calls == 3
    [error] = [f for f in report.findings if f.status == "ERROR"]
    assert (error.rule, error.resource, error.region) == ("residency-location", "arn:aws:s3:::*", "eu-west-1")
    assert error.message.startswith("s3 ListBuckets in eu-west-1 failed (SlowDown: Please reduce your request rate.)")
    # Throttling is the account's request rate, not a permission: the advice says so.
    assert error.message.endswith(
        "AWS throttled the call past every retry, not a permission problem: run again later or raise --max-retries"
    )
    assert report.as_dict()["errors"][0]["kind"] == "throttled"
    assert ("kms-key-rotation", world.ids["key-without-rotation"], "eu-central-1") in outcomes(report, "FAIL")
    assert report.exit_code == 1


def test_access_denied_names_the_missing_permission_and_keeps_other_evidence(world: Any) -> None:
    session = make_session()
    session.events.register(
        "before-send.s3.GetBucketReplication", lambda **_: s3_error(403, "AccessDenied", "Access Denied")
    )
    report = audit(world, ("s3",), session=session)
    bucket = "arn:aws:s3:::replicating-bucket"
    errors = {f.resource: f for f in report.findings if f.status == "ERROR"}
    assert bucket in errors
    assert {f.rule for f in errors.values()} == {"transfer-s3-replication"}
    assert errors[bucket].message == (
        "s3 GetBucketReplication in eu-west-1 failed (AccessDenied: Access Denied); "
        "missing IAM permission s3:GetReplicationConfiguration"
    )
    # The replication can no longer be judged, but everything else about the bucket still is.
    judged = {(f.rule, f.status) for f in report.findings if f.resource == bucket}
    assert judged == {
        ("transfer-s3-replication", "ERROR"),
        ("residency-location", "PASS"),
        ("key-custody", "PASS"),
        ("s3-encryption-kms", "PASS"),
        ("s3-public-access-blocked", "PASS"),
    }
    [entry] = [e for e in report.as_dict()["errors"] if e["resource"] == bucket]
    assert (entry["service"], entry["region"], entry["operation"], entry["permission"], entry["code"]) == (
        "s3",
        "eu-west-1",
        "GetBucketReplication",
        "s3:GetReplicationConfiguration",
        "AccessDenied",
    )


def test_access_denied_on_a_list_call_via_stubber() -> None:
    failures = FailureLog()
    factory = ClientFactory(make_session(), client_config(1, 1, 1))
    api = Api(SCANNERS["kms"], "eu-west-1", factory, failures, "123456789012")
    with Stubber(api.client) as stub:
        stub.add_client_error("list_keys", "AccessDeniedException", "not authorized", http_status_code=400)
        assert SCANNERS["kms"].discover(api) == []
    [failure] = failures.items()
    assert failure.access_denied
    assert failure.message == (
        "kms ListKeys in eu-west-1 failed (AccessDeniedException: not authorized); missing IAM permission kms:ListKeys"
    )
    assert (failure.rule, failure.resource) == ("residency-location", "arn:aws:kms:eu-west-1:123456789012:key/*")


def test_an_api_the_endpoint_does_not_implement_is_a_named_error(world: Any) -> None:
    # moto 5.2 answers DescribeReplicationConfigurations with HTTP 500: exactly what an outage looks like.
    report = audit(world, ("efs",), regions=("eu-west-1",), request={"max_retries": 0})
    [error] = [f for f in report.findings if f.status == "ERROR"]
    assert error.rule == "transfer-efs-replication"
    assert error.message.startswith(
        "efs DescribeReplicationConfigurations in eu-west-1 failed "
        "(500: the endpoint answered with an error page, not an AWS error)"
    )
    # An outage is AWS's side: no permission is blamed.
    assert error.message.endswith("AWS answered with a server error, not a permission problem: run again later")


def test_a_scanner_crash_is_a_named_error(world: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(api: Api, item: Any) -> list[Any]:
        raise KeyError("VpcId")

    crashing = ServiceScanner("ecr", "ecr", SCANNERS["ecr"].permissions, SCANNERS["ecr"].discover, explode)
    monkeypatch.setitem(SCANNERS, "ecr", crashing)
    report = audit(world, ("ecr",), regions=("eu-west-1",))
    errors = [f for f in report.findings if f.status == "ERROR"]
    assert errors
    assert {(f.rule, f.resource, f.region) for f in errors} == {("residency-location", "ecr:eu-west-1", "eu-west-1")}
    assert errors[0].message.startswith("ecr inspect (scanner) in eu-west-1 failed (KeyError: 'VpcId')")


def query_error(status: int, code: str, message: str) -> AWSResponse:
    # The error body of the query/EC2 protocols.
    body = f"<Response><Errors><Error><Code>{code}</Code><Message>{message}</Message></Error></Errors></Response>"
    return AWSResponse("https://ec2.amazonaws.com/", status, HTTPHeaders(), _Raw(body.encode()))


def test_describe_regions_denied_scans_every_commercial_region_and_says_so(world: Any) -> None:
    session = make_session()
    session.events.register(
        "before-send.ec2.DescribeRegions", lambda **_: query_error(403, "UnauthorizedOperation", "not authorized")
    )
    report = audit(world, ("ecr",), regions=None, session=session)
    assert report.scan.region_source == "every commercial region (DescribeRegions failed)"
    assert report.scan.regions == sorted(AWS_COMMERCIAL_REGIONS)
    errors = [f for f in report.findings if f.status == "ERROR"]
    assert [(f.rule, f.resource) for f in errors] == [("residency-location", "account regions")]
    assert errors[0].message == (
        "ec2 DescribeRegions in eu-west-1 failed (UnauthorizedOperation: not authorized); "
        "missing IAM permission ec2:DescribeRegions"
    )


def regions_answer(*names: str) -> AWSResponse:
    items = "".join(
        f"<item><regionName>{n}</regionName><regionEndpoint>ec2.{n}.amazonaws.com</regionEndpoint>"
        "<optInStatus>opted-in</optInStatus></item>"
        for n in names
    )
    body = '<DescribeRegionsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId>'
    body += f"<regionInfo>{items}</regionInfo></DescribeRegionsResponse>"
    return AWSResponse("https://ec2.amazonaws.com/", 200, HTTPHeaders(), _Raw(body.encode()))


def test_an_enabled_region_the_tool_does_not_know_is_a_named_error_not_dropped(world: Any) -> None:
    session = make_session()
    session.events.register("before-send.ec2.DescribeRegions", lambda **_: regions_answer("eu-west-1", "xx-new-1"))
    report = audit(world, ("ecr",), regions=None, session=session)
    assert report.scan.regions == ["eu-west-1"]
    errors = [f for f in report.findings if f.status == "ERROR"]
    assert [(f.rule, f.resource, f.region) for f in errors] == [("residency-location", "account regions", "xx-new-1")]
    assert errors[0].message.startswith("region xx-new-1 is enabled in the account but unknown to this tool")
    assert report.exit_code == 1


def test_new_zealand_is_a_known_region_and_is_scanned(world: Any) -> None:
    # ap-southeast-6 (Asia Pacific, New Zealand; botocore's endpoints list names it) was silently skipped.
    session = make_session()
    session.events.register(
        "before-send.ec2.DescribeRegions", lambda **_: regions_answer("eu-west-1", "ap-southeast-6")
    )
    report = audit(world, ("ecr",), regions=None, session=session)
    assert report.scan.regions == ["ap-southeast-6", "eu-west-1"]
    assert outcomes(report, "ERROR") == set()


def test_rejected_credentials_stop_the_audit_with_one_line(world: Any) -> None:
    from enclave.audit import AuditSetupError

    session = make_session()
    session.events.register(
        "before-send.sts.GetCallerIdentity",
        lambda **_: query_error(403, "InvalidClientTokenId", "The security token included in the request is invalid."),
    )
    with pytest.raises(AuditSetupError) as err:
        audit(world, ("s3",), session=session)
    assert str(err.value) == (
        f"credentials rejected by {world.url}: InvalidClientTokenId: "
        "The security token included in the request is invalid."
    )


def test_account_block_access_denied_is_an_error_and_open_buckets_cannot_pass(world: Any) -> None:
    session = make_session()
    session.events.register(
        "before-send.s3-control.GetPublicAccessBlock", lambda **_: s3_error(403, "AccessDenied", "Access Denied")
    )
    report = audit(world, ("s3",), session=session)
    [error] = [f for f in report.findings if f.status == "ERROR"]
    assert (error.rule, error.resource, error.region) == (
        "s3-public-access-blocked",
        f"arn:aws:s3::{world.account}:account-public-access-block",
        "eu-west-1",
    )
    assert error.message.endswith("missing IAM permission s3:GetAccountPublicAccessBlock")
    by_bucket = {f.resource: f for f in report.findings if f.rule == "s3-public-access-blocked"}
    # A bucket with its own full block does not need the account's; one without it cannot be verified.
    assert by_bucket["arn:aws:s3:::good-bucket-dublin"].status == "PASS"
    public = by_bucket["arn:aws:s3:::public-bucket"]
    assert public.status == "FAIL"
    assert public.message.startswith("cannot be verified: ")
    assert "the account-level public access block could not be read" in public.message


def test_a_server_error_is_not_reported_as_a_missing_permission(world: Any) -> None:
    session = make_session()
    session.events.register(
        "before-send.s3.GetBucketReplication", lambda **_: s3_error(500, "InternalError", "We encountered an error")
    )
    report = audit(world, ("s3",), session=session, request={"max_retries": 1})
    errors = [f for f in report.findings if f.status == "ERROR"]
    assert errors and all(f.rule == "transfer-s3-replication" for f in errors)
    for f in errors:
        assert "missing IAM permission" not in f.message
        assert f.message.endswith("AWS answered with a server error, not a permission problem: run again later")
    assert {e["kind"] for e in report.as_dict()["errors"]} == {"server-error"}


def sts_error(status: int, code: str, message: str) -> AWSResponse:
    body = f"<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error></ErrorResponse>"
    headers = HTTPHeaders()
    headers["Content-Type"] = "text/xml"
    return AWSResponse("https://sts.amazonaws.com/", status, headers, _Raw(body.encode()))


@pytest.mark.parametrize(
    ("status", "code", "expected"),
    [
        (
            400,
            "Throttling",
            "AWS throttled sts:GetCallerIdentity (Throttling: Rate exceeded); the credentials were not judged",
        ),
        (
            500,
            "InternalFailure",
            "AWS answered sts:GetCallerIdentity with a server error (InternalFailure: Rate exceeded)",
        ),
        (403, "InvalidClientTokenId", "credentials rejected by AWS: InvalidClientTokenId: Rate exceeded"),
    ],
)
def test_sts_failures_say_what_happened(status: int, code: str, expected: str) -> None:
    from enclave.audit.scanner import AuditRequest, AuditSetupError, caller_identity
    from residency.jurisdictions import default_catalogue

    session = make_session()
    session.events.register("before-send.sts.GetCallerIdentity", lambda **_: sts_error(status, code, "Rate exceeded"))
    with pytest.raises(AuditSetupError) as raised:
        caller_identity(session, AuditRequest(jurisdiction=default_catalogue().get("eu")))
    assert str(raised.value).startswith(expected)
    if code != "InvalidClientTokenId":
        assert "credentials rejected" not in str(raised.value)
