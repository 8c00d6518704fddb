"""Three strays for the EU: one declared here (line 12), one inside the local Archive component (archive.py
line 10, created on line 14), one inside an installed component (reported at the user's call, line 18)."""

import pathlib
import sys

import pulumi_aws as aws
from archive import Archive

sys.path.append(str(pathlib.Path(__file__).parent / "vendor" / "site-packages"))

stray = aws.s3.Bucket("stray", region="us-east-1")

archive = Archive("old", region="us-west-2")

from thirdparty_archive import VendorArchive  # noqa: E402

vendor = VendorArchive("vendor", region="ap-south-1")
