"""A security reviewer's corpus: each case is one small program (config ``case`` picks it). Cases in
``outbound`` and ``evasions`` move EU data out by paths issue 9 does not name; cases in ``home`` keep it in
the jurisdiction. Run one as a user would:

    enclave check --program tests/enclave/gate/programs/redteam --jurisdiction eu \
        --config aws:region=eu-west-1 --config enclave:accountId=111111111101 --config case=<name> --no-checkov
"""

import pulumi
from redteam_cases import CASES

CASES[pulumi.Config().require("case")].build()
