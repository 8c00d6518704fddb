"""Benchmark: an organisation-wide audit of N simulated member accounts (default 50) in a local moto server.

Usage: .venv/bin/python benchmarks/audit_org.py [--accounts 50] [--buckets 4] [--in-flight 4] [--max-workers 4]
       [--services s3,kms] [--regions eu-west-1,eu-west-2,us-east-1]

Each account is tagged with a jurisdiction (eu or uk, alternately), holds an auditor role and ``--buckets``
buckets, one of them a stray in us-east-1. Every fifth account's role is refused to the organisation auditor
(moto enforces IAM during the run), so the run reports those accounts as named ERRORs. API calls are counted
with a botocore ``before-call`` hook on the caller's Session and on every assumed-role Session; seeding calls
are not counted.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from moto.server import ThreadedMotoServer

from enclave.audit import AuditRequest
from enclave.audit.organization import OrgAuditRequest, assumed_session, audit_organization
from residency.assessments import AssessmentRegistry
from residency.exemptions import ExemptionRegistry
from residency.jurisdictions import default_catalogue
from tests.enclave.audit.org_seed import AccountSpec, enforcing_iam, seed_organization


def _specs(accounts: int, buckets: int) -> list[AccountSpec]:
    specs = []
    for i in range(accounts):
        jurisdiction, home = ("eu", "eu-west-1") if i % 2 == 0 else ("uk", "eu-west-2")
        owned = [(f"bench-org-{i:03d}-{b}", home) for b in range(buckets - 1)] + [(f"bench-org-{i:03d}-x", "us-east-1")]
        specs.append(AccountSpec(f"bench-{i:03d}", jurisdiction, jurisdiction, tuple(owned), denied=i % 5 == 4))
    return specs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=50)
    parser.add_argument("--buckets", type=int, default=4)
    parser.add_argument("--in-flight", type=int, default=4)
    parser.add_argument("--max-workers", type=int, default=4)
    parser.add_argument("--services", default="s3,kms")
    parser.add_argument("--regions", default="eu-west-1,eu-west-2,us-east-1")
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    url = f"http://{host}:{port}"
    seed_started = time.perf_counter()
    org = seed_organization(url, _specs(args.accounts, args.buckets))
    print(f"seeded {args.accounts} accounts x {args.buckets} buckets in {time.perf_counter() - seed_started:.1f} s")

    calls: Counter[str] = Counter()
    per_account: Counter[str] = Counter()

    def counted(session: Any, account: str) -> Any:
        def hook(model: Any, **_: Any) -> None:
            calls[f"{model.service_model.service_name}:{model.name}"] += 1
            per_account[account] += 1

        session.events.register("before-call", hook)
        return session

    def make_session(credentials: Any, region: str) -> Any:
        return counted(assumed_session(credentials, region), "member")

    catalogue = default_catalogue()
    per = AuditRequest(
        catalogue.get("eu"),
        regions=tuple(args.regions.split(",")),
        services=tuple(args.services.split(",")),
        endpoint_url=url,
        max_workers=args.max_workers,
    )
    request = OrgAuditRequest(per_account=per, max_accounts_in_flight=args.in_flight)
    caller = counted(org.session(), "caller")
    started = time.perf_counter()
    with enforcing_iam():
        report = audit_organization(
            caller,
            request,
            catalogue,
            AssessmentRegistry(),
            ExemptionRegistry(),
            date.today(),
            "bench",
            make_session=make_session,
        )
    elapsed = time.perf_counter() - started
    server.stop()
    audited = [o for o in report.outcomes if o.state == "audited"]
    errors = [o for o in report.outcomes if o.state == "ERROR"]
    member_calls = sum(v for k, v in per_account.items() if k != "caller")
    counts = report.counts()
    print(
        f"{len(report.outcomes)} accounts listed (incl. management), {len(audited)} audited, {len(errors)} ERROR "
        f"(role refused), in-flight {args.in_flight}, {args.max_workers} workers per account"
    )
    print(f"wall time {elapsed:.2f} s = {elapsed / max(1, len(report.outcomes)):.3f} s per listed account")
    print(
        f"API calls: caller {per_account['caller']} ({per_account['caller'] / max(1, len(report.outcomes)):.2f} per "
        f"account: ListAccounts, ListTagsForResource, AssumeRole), members {member_calls} "
        f"({member_calls / max(1, len(audited)):.2f} per audited account)"
    )
    print(f"findings: {counts['FAIL']} FAIL, {counts['ERROR']} ERROR, {counts['PASS']} PASS")
    for op, n in sorted(calls.items(), key=lambda kv: -kv[1]):
        print(f"  {op:45s} {n:6d}")


if __name__ == "__main__":
    main()
