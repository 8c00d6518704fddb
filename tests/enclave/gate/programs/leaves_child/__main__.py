"""Starts a process that outlives the program (a forgotten helper, a daemon) and writes its pid where the
test says (ENCLAVE_TEST_PIDFILE); the program itself finishes at once."""

import os
import subprocess
import sys

import pulumi_aws as aws

child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
with open(os.environ["ENCLAVE_TEST_PIDFILE"], "w") as pidfile:
    pidfile.write(str(child.pid))
aws.s3.Bucket("records", region="eu-west-1")
