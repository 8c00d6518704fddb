"""ARNs as AWS forms them: a bucket's has neither region nor account, an S3 access point's has both."""

from __future__ import annotations

from enclave.offline.identifiers import aws_arn, physical_name


def test_a_bucket_arn_has_no_region_or_account_and_an_access_point_arn_has_both() -> None:
    where = {"region": "eu-west-2", "account": "111122223333"}
    assert aws_arn("s3", "bucket", name="records", id_="records", **where) == "arn:aws:s3:::records"
    point = aws_arn("s3", "accessPoint", name="enclave-uk-records", id_="x", **where)
    assert point == "arn:aws:s3:eu-west-2:111122223333:accesspoint/enclave-uk-records"


def test_an_oidc_providers_arn_is_named_by_its_url_without_the_scheme() -> None:
    # As IAM names it: arn:aws:iam::<account>:oidc-provider/<host>, the ARN the deploy role's trust names.
    inputs = {"url": "https://token.actions.githubusercontent.com"}
    name = physical_name("github-oidc", "urn:x", "iam", "openIdConnectProvider", inputs)
    arn = aws_arn("iam", "openIdConnectProvider", name=name, id_=name, region="eu-west-1", account="111122223333")
    assert arn == "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"
