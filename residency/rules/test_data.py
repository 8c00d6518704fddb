"""Ring 3's controlled interface: engineers test on de-identified data that the enclave makes, guards, and
alone writes. Each rule judges a ControlState fact (adapters/pulumi_test_data.py) on the test-data bucket."""

from __future__ import annotations

from residency.model import Category, Severity
from residency.rules.base import Rule, Scope
from residency.rules.controls import control_rule

_REFS = (
    "GDPR Art. 25 (data protection by design) and Art. 32(1)(a) (pseudonymisation)",
    "GDPR Recital 26 and ISO/IEC 20889 (de-identification techniques)",
)

TEST_DATA_RULES: tuple[Rule, ...] = (
    control_rule(
        "test-data-pipeline",
        "The enclave makes its engineers' test data with the de-identification pipeline",
        "Every enclave has the de-identification function (enclave-part=deidentify, with its role) and its "
        "pseudonymisation secret (enclave-part=pseudonym-key), unreplicated and rotated.",
        Category.ACCESS,
        Severity.HIGH,
        "Keep enclave:testDataPipeline true (the default) so RegionalEnclave adds components/test_data.py.",
        _REFS,
        Scope.PROGRAM,
    ),
    control_rule(
        "test-data-guard",
        "The test-data bucket is scanned for personal data and a finding raises the alarm",
        "A Macie classification job scans the test-data bucket and an EventBridge rule with a target alarms on "
        "Macie findings.",
        Category.OVERSIGHT,
        Severity.HIGH,
        "Keep enclave:testDataPipeline true so RegionalEnclave adds components/test_data_guard.py.",
        _REFS,
        Scope.PROGRAM,
    ),
    control_rule(
        "test-data-single-writer",
        "Only the de-identification pipeline writes test data",
        "The test-data bucket policy denies object writes to every principal but the pipeline's role (query "
        "results only through Athena under query-results/), and nothing else in the program writes there.",
        Category.ACCESS,
        Severity.CRITICAL,
        "Remove the second writer: grant s3:PutObject on the test-data bucket to the pipeline role only.",
        _REFS,
        Scope.PROGRAM,
    ),
)
