"""A real HTTP AWS emulator (moto's server mode on 127.0.0.1) seeded once per session.

A pytest plugin (tests/conftest.py loads it) shared by the tests of the live scanners
(tests/adapters/aws_live), the auditor (tests/enclave/audit) and `enclave audit` (tests/enclave/commands).
The fixtures start nothing until a test asks for them; ``aws_test_env`` keeps every boto3 session away from
this machine's real AWS configuration.

``seeded`` builds one small account spread over four regions: compliant resources in eu-west-1 and
eu-central-1 (jurisdiction ``eu``), strays in us-east-1 and eu-west-2, and one example of every transfer
vector moto can emulate. Tests judge it for jurisdiction ``eu``.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import boto3
import pytest
from moto.server import ThreadedMotoServer

from residency.jurisdictions import default_catalogue
from tests.enclave.audit import moto_seed as seed
from tests.enclave.audit.moto_seed_vectors import seed_vectors

AUDIT_REGIONS = ("eu-central-1", "eu-west-1", "eu-west-2", "us-east-1")


@dataclass
class World:
    url: str
    session: Any
    account: str
    # name -> ARN/id of every seeded resource
    ids: dict[str, str] = field(default_factory=dict)
    clients: dict[str, Any] = field(default_factory=dict)


def make_session(region: str = "eu-west-1") -> Any:
    return boto3.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name=region)


@pytest.fixture(scope="session")
def moto_url() -> Iterator[str]:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request otherwise
    # moto otherwise lists the snapshots of its built-in AMIs as the account's own in every region.
    os.environ["MOTO_EC2_LOAD_DEFAULT_AMIS"] = "false"
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture(scope="session")
def world(moto_url: str) -> World:
    session = make_session()
    account = session.client("sts", endpoint_url=moto_url).get_caller_identity()["Account"]
    w = World(moto_url, session, account)
    seed.seed_world(w)
    seed_vectors(w)
    return w


@pytest.fixture(scope="session")
def eu() -> Any:
    return default_catalogue().get("eu")


@pytest.fixture
def aws_test_env(monkeypatch: pytest.MonkeyPatch) -> None:
    # The CLI builds its own Session through the standard credential chain: give it test credentials and
    # make sure no real profile or config file on this machine is ever read.
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent/aws-config")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/aws-credentials")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")  # never probe the instance-metadata address
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)


def audit(w: World, services: tuple[str, ...], jurisdiction: str = "eu", **kwargs: Any) -> Any:
    """Audit the seeded world with the auditor's own entry point."""
    from enclave.audit import AuditRequest, run_audit

    catalogue = default_catalogue()
    request = AuditRequest(
        jurisdiction=catalogue.get(jurisdiction),
        regions=kwargs.pop("regions", AUDIT_REGIONS),
        services=services,
        endpoint_url=w.url,
        max_workers=kwargs.pop("max_workers", 4),
        **kwargs.pop("request", {}),
    )
    session = kwargs.pop("session", w.session)
    return run_audit(session, request, catalogue, **kwargs)


def outcomes(report: Any, status: str) -> set[tuple[str, str, str | None]]:
    """(rule, resource, region) of every finding with ``status``."""
    return {(f.rule, f.resource, f.region) for f in report.findings if f.status == status}
