"""A bucket in eu-west-1 whose provider sends its S3 calls elsewhere (mode: abroad, local, home, none)."""

import pulumi
import pulumi_aws as aws

MODE = pulumi.Config().require("mode")
URLS = {
    "abroad": "https://s3.us-east-1.amazonaws.com",
    "local": "http://localhost:4566",
    "home": "https://s3.eu-west-1.amazonaws.com",
}
if MODE in URLS:
    provider = aws.Provider("pinned", region="eu-west-1", endpoints=[{"s3": URLS[MODE]}])
    aws.s3.Bucket("records", opts=pulumi.ResourceOptions(provider=provider))
else:  # the default provider, configured by the stack (aws:endpoints may be set there)
    aws.s3.Bucket("records")
