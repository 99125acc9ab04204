"""Who may do what: coordinators come from the config only, police and area contacts from the
database (or police from the config as a bootstrap)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from bot.services import Services
from storage import bans as ban_rows
from storage import roles as role_rows
from storage.db import Executor


class Role(StrEnum):
    RESIDENT = "resident"
    CONTACT = "contact"
    POLICE = "police"
    COORDINATOR = "coordinator"


@dataclass(frozen=True, slots=True)
class Access:
    user_id: int
    roles: frozenset[Role] = field(default_factory=frozenset)
    contact_areas: frozenset[int] = field(default_factory=frozenset)
    banned: bool = False

    def has(self, *roles: Role) -> bool:
        """A banned user holds no role at all, whatever the config or database says."""
        return not self.banned and bool(self.roles.intersection(roles))

    def may_act_for(self, area_id: int) -> bool:
        """Coordinators act for every area, area contacts for their own."""
        return self.has(Role.COORDINATOR) or (
            self.has(Role.CONTACT) and area_id in self.contact_areas
        )

    @property
    def main_role(self) -> Role:
        """The role whose menu the user sees; a banned user sees a resident's."""
        for role in (Role.COORDINATOR, Role.POLICE, Role.CONTACT):
            if self.has(role):
                return role
        return Role.RESIDENT


async def access_of(services: Services, user_id: int) -> Access:
    roles: set[Role] = set()
    contact_areas: set[int] = set()
    if user_id in services.settings.roles.coordinators:
        roles.add(Role.COORDINATOR)
    if user_id in services.settings.roles.police:
        roles.add(Role.POLICE)
    for role, area_id in await role_rows.roles_of(services.db, user_id):
        roles.add(Role(role))
        if role == Role.CONTACT and area_id is not None:
            contact_areas.add(area_id)
    banned = await ban_rows.is_banned(services.db, user_id)
    return Access(user_id, frozenset(roles), frozenset(contact_areas), banned)


async def privileged_users(services: Services) -> list[int]:
    """Everyone holding a role from the database (police and area contacts)."""
    return await role_rows.privileged_users(services.db)


async def is_banned(db: Executor, user_id: int) -> bool:
    """Banned by user id, registered or not, also after the user erased their data."""
    return await ban_rows.is_banned(db, user_id)


async def not_banned(services: Services, user_ids: list[int]) -> list[int]:
    """``user_ids`` (in order) without the banned ones: a ban outranks the configuration, so
    a banned coordinator or officer named there gets no tip copy and no summary."""
    return [user_id for user_id in user_ids if not await ban_rows.is_banned(services.db, user_id)]
