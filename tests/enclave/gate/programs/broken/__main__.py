"""A program with a bug of its own: the gate must report it in one line, with only this file's frames."""

import pulumi_aws as aws


def bucket_name(settings: dict) -> str:
    return settings["name"]


aws.s3.Bucket("records", bucket=bucket_name({}))
