"""Synthetic people for the ``people`` dataset schema: the bundled sample, the tests and the benchmark.

Names, e-mail domains and phone numbers come from Faker (seeded, en_GB); the remaining columns are drawn
with a seeded ``random.Random``. For large tables a pool of Faker names is reused (Faker costs about
100 us per name) while every record keeps a unique id, e-mail address and phone number.

    uv run python scripts/synthetic_people.py 2000 governance/datasets/samples/people.csv
"""

from __future__ import annotations

import random
import sys
from datetime import date, timedelta
from pathlib import Path

import polars as pl
from faker import Faker

# City -> postcode area. The schema generalises cities to regions and postcodes to their area.
CITIES = {
    "Leeds": "LS",
    "Newcastle": "NE",
    "Nottingham": "NG",
    "Leicester": "LE",
    "Bristol": "BS",
    "Brighton": "BN",
    "London": "SW",
}
DIAGNOSES = ("asthma", "diabetes", "hypertension", "migraine", "eczema", "arthritis", "anaemia", "influenza")
POOL = 2000


def people(n: int, seed: int = 11) -> pl.DataFrame:
    fake = Faker("en_GB")
    Faker.seed(seed)
    rng = random.Random(seed)
    pool = [(fake.first_name(), fake.last_name()) for _ in range(min(n, POOL))]
    domains = [fake.free_email_domain() for _ in range(20)]
    cities = list(CITIES)
    start = date(2025, 1, 1)
    rows: dict[str, list[object]] = {c: [] for c in COLUMNS}
    for i in range(n):
        first, last = pool[i % len(pool)] if n > POOL else pool[i]
        city = rng.choice(cities)
        email = f"{first}.{last}{i}@{rng.choice(domains)}".lower()
        phone = f"07{rng.randrange(100, 999)} {rng.randrange(100000, 999999)}"
        diagnosis = rng.choice(DIAGNOSES)
        rows["patient_id"].append(f"P{i:08d}")
        rows["full_name"].append(f"{first} {last}")
        rows["email"].append(email)
        rows["phone"].append(phone)
        rows["age"].append(rng.randrange(20, 100))
        rows["sex"].append(rng.choice(("F", "M")))
        rows["postcode"].append(f"{CITIES[city]}{rng.randrange(1, 20)} {rng.randrange(1, 10)}{_letters(rng)}")
        rows["city"].append(city)
        rows["visit_date"].append((start + timedelta(days=rng.randrange(0, 365))).isoformat())
        rows["diagnosis"].append(diagnosis)
        rows["visits"].append(rng.randrange(1, 12))
        rows["notes"].append(f"Saw {first} {last} ({email}, tel {phone}) about {diagnosis}; review in 3 months.")
    return pl.DataFrame(rows)


def _letters(rng: random.Random) -> str:
    return "".join(rng.choice("ABDEFGHJLNPQRSTUWXYZ") for _ in range(2))


COLUMNS = (
    "patient_id",
    "full_name",
    "email",
    "phone",
    "age",
    "sex",
    "postcode",
    "city",
    "visit_date",
    "diagnosis",
    "visits",
    "notes",
)
DIRECT_IDENTIFIERS = ("patient_id", "full_name", "email", "phone")


if __name__ == "__main__":
    count, target = int(sys.argv[1]), Path(sys.argv[2])
    people(count).write_csv(target)
    print(f"wrote {count} synthetic people to {target}")
