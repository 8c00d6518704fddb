"""A small component: its bucket is declared on line 10 of this file."""

import pulumi
import pulumi_aws as aws


class Archive(pulumi.ComponentResource):
    def __init__(self, name: str, region: str) -> None:
        super().__init__("located:index:Archive", name)
        self.bucket = aws.s3.Bucket(
            f"{name}-bucket",
            region=region,
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.register_outputs({})
