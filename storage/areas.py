"""SQL for areas and their postcodes."""

from __future__ import annotations

from dataclasses import dataclass

from storage.db import Database, Executor, utcnow


@dataclass(frozen=True, slots=True)
class Area:
    id: int
    code: str
    name: str
    postcodes: tuple[str, ...] = ()


_SELECT = """
SELECT a.id, a.code, a.name,
       (SELECT group_concat(postcode, ' ') FROM
          (SELECT postcode FROM area_postcodes p WHERE p.area_id = a.id ORDER BY postcode))
         AS postcodes
FROM areas a
"""


def _area(row) -> Area:
    postcodes = tuple(row["postcodes"].split()) if row["postcodes"] else ()
    return Area(row["id"], row["code"], row["name"], postcodes)


async def all_areas(db: Executor) -> list[Area]:
    return [_area(r) for r in await db.fetchall(_SELECT + " ORDER BY a.name COLLATE NOCASE")]


async def area_by_code(db: Executor, code: str) -> Area | None:
    row = await db.fetchone(_SELECT + " WHERE a.code = ?", (code,))
    return _area(row) if row else None


async def area_by_postcode(db: Executor, postcode: str) -> Area | None:
    row = await db.fetchone(
        _SELECT + " WHERE a.id = (SELECT area_id FROM area_postcodes WHERE postcode = ?)",
        (postcode,),
    )
    return _area(row) if row else None


async def areas_by_ids(db: Executor, ids: list[int]) -> list[Area]:
    marks = ",".join("?" * len(ids))
    return [_area(r) for r in await db.fetchall(_SELECT + f" WHERE a.id IN ({marks})", ids)]


async def insert_area(tx: Executor, code: str, name: str) -> int:
    cursor = await tx.execute(
        "INSERT INTO areas (code, name, created_at) VALUES (?, ?, ?)", (code, name, utcnow())
    )
    return cursor.lastrowid


async def add_postcodes(tx: Executor, area_id: int, postcodes: list[str]) -> None:
    """Postcodes already owned by an area are left with it (first owner wins)."""
    await tx.executemany(
        "INSERT OR IGNORE INTO area_postcodes (postcode, area_id) VALUES (?, ?)",
        [(p, area_id) for p in postcodes],
    )


async def seed_areas(db: Database, seeds: list[tuple[str, str, list[str]]]) -> int:
    """Insert configured areas that the database does not have yet; never changes or removes
    areas, so renames and removals made in chat survive a restart. Returns how many were new."""
    created = 0
    async with db.transaction() as tx:
        for code, name, postcodes in seeds:
            existing = await tx.fetchval("SELECT id FROM areas WHERE code = ?", (code,))
            if existing is None:
                area_id = await insert_area(tx, code, name)
                await add_postcodes(tx, area_id, postcodes)
                created += 1
    return created


async def rename_area(tx: Executor, area_id: int, name: str) -> None:
    await tx.execute("UPDATE areas SET name = ? WHERE id = ?", (name, area_id))


async def delete_area(tx: Executor, area_id: int) -> None:
    """Memberships, postcodes, group links and contact roles go with it (ON DELETE CASCADE)."""
    await tx.execute("DELETE FROM areas WHERE id = ?", (area_id,))


async def replace_postcodes(tx: Executor, area_id: int, postcodes: list[str]) -> None:
    await tx.execute("DELETE FROM area_postcodes WHERE area_id = ?", (area_id,))
    await add_postcodes(tx, area_id, postcodes)


async def postcode_owners(db: Executor, postcodes: list[str]) -> dict[str, str]:
    """postcode → area code, for the postcodes that already belong to an area."""
    marks = ",".join("?" * len(postcodes))
    rows = await db.fetchall(
        f"SELECT p.postcode, a.code FROM area_postcodes p JOIN areas a ON a.id = p.area_id"
        f" WHERE p.postcode IN ({marks})",
        postcodes,
    )
    return {r["postcode"]: r["code"] for r in rows}


async def member_ids(db: Executor, area_id: int) -> list[int]:
    rows = await db.fetchall("SELECT user_id FROM memberships WHERE area_id = ?", (area_id,))
    return [r["user_id"] for r in rows]


async def member_names(db: Executor, area_id: int) -> list[str]:
    rows = await db.fetchall(
        "SELECT p.first_name FROM memberships m JOIN participants p USING (user_id)"
        " WHERE m.area_id = ? ORDER BY p.first_name COLLATE NOCASE",
        (area_id,),
    )
    return [r["first_name"] for r in rows]
