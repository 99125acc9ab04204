"""/export: CSV documents for the coordinator (UTF-8 with BOM, one row per tip, no identity
for anonymous tips)."""

from __future__ import annotations

import csv
import io
import sqlite3

import pytest

from bot.sandbox import Sandbox
from tests.conftest import COORDINATOR_ID, POLICE_ID
from tests.helpers import seed_residents
from tests.test_tips import reference_in


@pytest.fixture(autouse=True)
def _handlers_known(sandbox: Sandbox) -> None:
    sandbox.user(COORDINATOR_ID, "Kerstin")
    sandbox.user(POLICE_ID, "Polis")


def parse(document: bytes) -> list[dict[str, str]]:
    assert document.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to read UTF-8"
    return list(csv.DictReader(io.StringIO(document.decode("utf-8-sig")), delimiter=";"))


async def test_export_tips_in_a_period(sandbox: Sandbox, bot, db_path, rows):
    seed_residents(sandbox, db_path, [501], ["centrum"])
    seed_residents(sandbox, db_path, [502], ["norr"])
    first = sandbox.user(501, "Boende 501")
    named = reference_in((await first.send("/tip stöld Cykel stulen på Järnvägsgatan")).text)
    anonymous = reference_in(
        (await first.send('/tip anonym narkotika =HYPERLINK("x") langning')).text
    )
    other = reference_in((await sandbox.user(502, "Boende 502").send("/tip övrigt Mörkt")).text)
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE tips SET created_at = '2026-01-15T10:00:00Z' WHERE ref = ?", (named,))
        conn.execute(
            "UPDATE tips SET created_at = '2026-03-31T21:30:00Z' WHERE ref = ?", (anonymous,)
        )
        conn.execute("UPDATE tips SET created_at = '2026-04-01T08:00:00Z' WHERE ref = ?", (other,))

    kerstin = sandbox.user(COORDINATOR_ID, "Kerstin")
    answer = await kerstin.send("/export tips 2026-01-01 2026-03-31")
    assert answer.kind == "document" and answer.file_name.endswith(".csv")
    assert "2 rader" in answer.text
    exported = parse(answer.file_bytes)
    # 2026-03-31 21:30 UTC is 23:30 local time: still inside the period.
    assert [r["ref"] for r in exported] == [named, anonymous]
    by_ref = {r["ref"]: r for r in exported}
    assert by_ref[named]["reporter_id"] == "501" and by_ref[named]["reporter_name"] == "Boende 501"
    assert by_ref[named]["category_name"] == "Stöld" and by_ref[named]["area"] == "centrum"
    for column in ("reporter_id", "reporter_name", "phone"):
        assert by_ref[anonymous][column] == ""
    assert by_ref[anonymous]["contact"] == "anonymous"
    # A formula in a tip never runs in Excel.
    assert by_ref[anonymous]["description"].startswith("'=HYPERLINK")

    everything = parse((await kerstin.send("/export tips")).file_bytes)
    assert len(everything) == rows("SELECT count(*) FROM tips")[0][0] == 3
    assert rows("SELECT count(*) FROM audit_log WHERE action = 'export'") == [(2,)]


async def test_export_participants(sandbox: Sandbox, bot, db_path):
    seed_residents(sandbox, db_path, [511, 512], ["centrum", "norr"])
    kerstin = sandbox.user(COORDINATOR_ID, "Kerstin")
    answer = await kerstin.send("/export participants")
    exported = parse(answer.file_bytes)
    assert [r["user_id"] for r in exported] == ["511", "512"]
    assert exported[0]["areas"] == "centrum norr" and exported[0]["first_name"] == "Boende 511"
    assert parse((await kerstin.send("/export participants 2027-01-01")).file_bytes) == []


async def test_export_refusals_and_usage(sandbox: Sandbox, bot, db_path, rows):
    seed_residents(sandbox, db_path, [521], ["centrum"])
    resident = sandbox.user(521, "Boende 521")
    assert "inte tillgängligt" in (await resident.send("/export tips")).text
    police = sandbox.user(POLICE_ID, "Polis")
    assert "inte tillgängligt" in (await police.send("/export tips")).text
    kerstin = sandbox.user(COORDINATOR_ID, "Kerstin")
    assert "/export tips|participants" in (await kerstin.send("/export")).text
    assert "/export tips|participants" in (await kerstin.send("/export alerts")).text
    assert "ÅÅÅÅ-MM-DD" in (await kerstin.send("/export tips 31/03/2026")).text
    assert "ÅÅÅÅ-MM-DD" in (await kerstin.send("/export tips 2026-03-31 2026-01-01")).text
