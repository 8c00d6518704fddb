"""Imports a module that exists only in the program's own virtualenv (the test creates ``venv``)."""

import pulumi_aws as aws
from program_only_settings import BUCKET_REGION

aws.s3.Bucket("records", region=BUCKET_REGION)
