"""Exports the regions the stack-reference case reads."""

import pulumi

pulumi.export("homeRegion", "eu-west-1")
pulumi.export("drRegion", "us-east-1")
