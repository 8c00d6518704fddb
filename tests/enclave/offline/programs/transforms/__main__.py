"""Transforms that move data abroad: the stack transform rewrites every bucket's region, a component's
transform rewrites its children, and a legacy stack transformation runs inside the SDK. The offline run
must see what the engine would register, not what the constructors were given."""

import pulumi
import pulumi_aws as aws

MODE = pulumi.Config().get("mode") or "abroad"


def to_virginia(args: pulumi.ResourceTransformArgs) -> pulumi.ResourceTransformResult | None:
    if MODE == "crash" and args.name == "own":
        raise ValueError("no region for you")
    if args.type_ == "aws:s3/bucket:Bucket" and MODE == "abroad":
        return pulumi.ResourceTransformResult(props={**args.props, "region": "us-east-1"}, opts=args.opts)
    return None


def unprotect(args: pulumi.ResourceTransformArgs) -> pulumi.ResourceTransformResult | None:
    if args.type_ == "aws:kms/key:Key":
        unprotected = pulumi.ResourceOptions.merge(args.opts, pulumi.ResourceOptions(protect=False))
        return pulumi.ResourceTransformResult(props=args.props, opts=unprotected)
    return None


def tag_everything(args: pulumi.ResourceTransformationArgs) -> pulumi.ResourceTransformationResult | None:
    if args.type_ == "aws:s3/bucket:Bucket":
        return pulumi.ResourceTransformationResult({**args.props, "tags": {"moved": "legacy"}}, args.opts)
    return None


class Vault(pulumi.ComponentResource):
    def __init__(self, name: str, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("demo:index:Vault", name, None, opts)
        self.key = aws.kms.Key(f"{name}-key", opts=pulumi.ResourceOptions(parent=self, protect=True))
        self.register_outputs({})


pulumi.runtime.register_stack_transformation(tag_everything)
pulumi.runtime.register_resource_transform(to_virginia)
aws.s3.Bucket("records", region="eu-west-1")
Vault("vault", opts=pulumi.ResourceOptions(transforms=[unprotect]))
aws.kms.Key("own", opts=pulumi.ResourceOptions(protect=True, transforms=[unprotect]))
