"""What the signed-in clerk may see and do; every refusal is audited.

A refusal is raised as `AccessDenied` and recorded by its error handler, after the request's
own transaction has been rolled back: recording it inside that transaction would lose it, and
opening a second write transaction beside it would wait on the first.
"""

from __future__ import annotations

from flask import Flask, g

from registry import audit

from ..auth.principal import Principal
from ..database import db
from .errors import error_response


class AccessDenied(Exception):
    def __init__(self, reason: str, entity: str, key: str) -> None:
        super().__init__(reason)
        self.reason, self.entity, self.key = reason, entity, key


def principal() -> Principal:
    return g.principal


def deny(reason: str, entity: str, key: str) -> None:
    raise AccessDenied(reason, entity, key)


def require_area(region_code: str, entity: str, key: str) -> None:
    if not principal().serves(region_code):
        deny(f"{entity} {key} is outside the area of office {principal().office_code}",
             entity, key)


def require_role(*roles: str, action: str) -> None:
    if not principal().can(*roles):
        deny(f"role {principal().role} may not {action}", "role", principal().role)


def register(app: Flask) -> None:
    @app.errorhandler(AccessDenied)
    def denied(exc: AccessDenied):
        with db().write() as session:
            audit.record(session, principal().actor, "access.denied", exc.entity, exc.key,
                         note=exc.reason)
        return error_response(403, exc.reason)
