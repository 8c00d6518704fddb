"""A region computed from an output AWS assigns: unknown at preview, decided by the engine only at update.

Offline the value does not exist (the mocks do not model an HTTP API's endpoint), so the gate cannot
verify the bucket and blocks; the engine knows the endpoint after the API is created.
"""

import pulumi_aws as aws

api = aws.apigatewayv2.Api("api", protocol_type="HTTP")
aws.s3.Bucket("region-from-computed", region=api.api_endpoint.apply(lambda url: url.split(".")[2]))
