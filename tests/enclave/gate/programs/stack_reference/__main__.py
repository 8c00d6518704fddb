"""Reads the VPC from another stack, with invokes programs commonly make; none of it exists offline."""

import pulumi
import pulumi_aws as aws

network = pulumi.StackReference("acme/network/prod")
identity = aws.get_caller_identity()
zones = aws.get_availability_zones(state="available")
vpc_id = network.get_output("vpcId").apply(lambda v: v or "vpc-0123456789abcdef0")

aws.ec2.SecurityGroup("app", vpc_id=vpc_id, description=f"app in {zones.names[0]}")
pulumi.export("account", identity.account_id)
