"""Transforms run in the engine (callbacks over gRPC): what is judged is what they return."""

import pulumi
import pulumi_aws as aws


def move_marked_buckets(args: pulumi.ResourceTransformArgs) -> pulumi.ResourceTransformResult | None:
    tags = args.props.get("tags") if isinstance(args.props, dict) else None
    if args.type_ == "aws:s3/bucket:Bucket" and isinstance(tags, dict) and tags.get("move") == "yes":
        return pulumi.ResourceTransformResult(props={**args.props, "region": "us-east-1"}, opts=args.opts)
    return None


def tag_only(args: pulumi.ResourceTransformArgs) -> pulumi.ResourceTransformResult | None:
    return pulumi.ResourceTransformResult(props={**args.props, "tags": {"owner": "platform"}}, opts=args.opts)


pulumi.runtime.register_resource_transform(move_marked_buckets)
aws.s3.Bucket("moved-by-stack-transform", tags={"move": "yes"})
aws.s3.Bucket("left-alone", tags={"move": "no"})
aws.kms.Key("tagged-by-own-transform", enable_key_rotation=True, opts=pulumi.ResourceOptions(transforms=[tag_only]))
