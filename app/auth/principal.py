"""The signed-in clerk or API client, as plain values detached from any database session."""

from __future__ import annotations

from dataclasses import dataclass

from flask import g

from registry.audit import Actor
from registry.models import ADMIN, SUPERVISOR, User


@dataclass(frozen=True)
class Principal:
    user_id: int
    username: str
    role: str
    office_code: str
    full_name: str = ""
    via_token: bool = False

    # Flask-Login's user protocol
    is_authenticated = True
    is_active = True
    is_anonymous = False

    def get_id(self) -> str:
        return str(self.user_id)

    @classmethod
    def of(cls, user: User, *, via_token: bool = False) -> Principal:
        return cls(user.id, user.username, user.role, user.office_code, user.full_name, via_token)

    @property
    def actor(self) -> Actor:
        return Actor(self.username, office_code=self.office_code, user_id=self.user_id,
                     role=self.role)

    def can(self, *roles: str) -> bool:
        return self.role in roles or self.role == ADMIN

    @property
    def is_supervisor(self) -> bool:
        return self.role in (SUPERVISOR, ADMIN)

    def serves(self, region_code: str) -> bool:
        """A user sees the residents of their office's region (the kabupaten office: all)."""
        code = self.office_code
        return region_code == code or region_code.startswith(code + ".")


def current() -> Principal | None:
    return g.get("principal")
