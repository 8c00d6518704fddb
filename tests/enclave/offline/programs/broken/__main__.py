"""Fails in the way the test asks for, through config."""

import pulumi

mode = pulumi.Config().require("mode")
if mode == "run-error":
    raise pulumi.RunError("enclave:vpcCidr: '10.0.0.0/33' is not a valid IPv4 CIDR")
if mode == "missing-module":
    import not_a_real_package  # noqa: F401
if mode == "crash":
    values: dict[str, int] = {}
    print(values["absent"])
