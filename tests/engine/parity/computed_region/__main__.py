"""A region computed from an output AWS assigns: unknown at preview, and nothing in the program resolves it.

Offline the value does not exist (the mocks do not model an HTTP API's endpoint), so the gate cannot verify
the bucket and blocks; under the engine the pack blocks the preview too (a mandatory UNKNOWN naming
``.region``), rather than leave the decision to an update that would create the bucket first.
"""

import pulumi_aws as aws

api = aws.apigatewayv2.Api("api", protocol_type="HTTP")
aws.s3.Bucket("region-from-computed", region=api.api_endpoint.apply(lambda url: url.split(".")[2]))
