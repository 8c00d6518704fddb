"""Where a resource lands is decided by its provider: explicit, inherited from a component, or default."""

import pulumi
import pulumi_aws as aws

home = aws.Provider("home", region="eu-west-1")
abroad = aws.Provider("abroad", region="us-east-1")


class Store(pulumi.ComponentResource):
    """A component whose bucket inherits the component's aws provider (``providers=``)."""

    def __init__(self, name: str, opts: pulumi.ResourceOptions) -> None:
        super().__init__("parity:index:Store", name, None, opts)
        aws.s3.Bucket(f"{name}-bucket", opts=pulumi.ResourceOptions(parent=self))
        self.register_outputs({})


aws.s3.Bucket("default-provider")
aws.s3.Bucket("explicit-home", opts=pulumi.ResourceOptions(provider=home))
aws.s3.Bucket("explicit-abroad", opts=pulumi.ResourceOptions(provider=abroad))
aws.s3.Bucket("region-input-beats-home-provider", region="us-east-1", opts=pulumi.ResourceOptions(provider=home))
Store("inherited-home", pulumi.ResourceOptions(providers={"aws": home}))
Store("inherited-abroad", pulumi.ResourceOptions(providers={"aws": abroad}))
