"""In the style of pulumi/examples aws-py-s3-folder: serve a folder of files as a public S3 website."""

import json
import mimetypes
import os

import pulumi
from pulumi_aws import s3

web_bucket = s3.Bucket("s3-website-bucket")
website = s3.BucketWebsiteConfiguration("s3-website", bucket=web_bucket.id, index_document={"suffix": "index.html"})
ownership_controls = s3.BucketOwnershipControls(
    "ownership-controls", bucket=web_bucket.id, rule={"object_ownership": "ObjectWriter"}
)
public_access_block = s3.BucketPublicAccessBlock(
    "public-access-block", bucket=web_bucket.id, block_public_acls=False, block_public_policy=False
)

content_dir = "www"
for file in os.listdir(content_dir):
    filepath = os.path.join(content_dir, file)
    mime_type, _ = mimetypes.guess_type(filepath)
    s3.BucketObject(
        file,
        bucket=web_bucket.id,
        source=pulumi.FileAsset(filepath),
        content_type=mime_type,
        opts=pulumi.ResourceOptions(depends_on=[public_access_block, ownership_controls]),
    )


def public_read_policy_for_bucket(bucket_name: str) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": "*",
                    "Action": ["s3:GetObject"],
                    "Resource": [f"arn:aws:s3:::{bucket_name}/*"],
                }
            ],
        }
    )


bucket_name = web_bucket.id
bucket_policy = s3.BucketPolicy(
    "bucket-policy",
    bucket=bucket_name,
    policy=bucket_name.apply(public_read_policy_for_bucket),
    opts=pulumi.ResourceOptions(depends_on=[public_access_block]),
)

pulumi.export("bucket_name", web_bucket.id)
pulumi.export("website_url", website.website_endpoint)
