"""Typed errors of the registry. Each carries what a clerk needs to act, never a stack trace."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


class RegistryError(Exception):
    """Base of every error the registry raises on purpose."""


class NotFoundError(RegistryError):
    def __init__(self, entity: str, key: str) -> None:
        super().__init__(f"{entity} {key} not found")
        self.entity, self.key = entity, key


class InvalidRecordError(RegistryError):
    """One or more fields are wrong; ``errors`` maps each field name to its reasons."""

    def __init__(self, errors: Mapping[str, Sequence[str]]) -> None:
        self.errors = {field: list(reasons) for field, reasons in errors.items()}
        detail = "; ".join(f"{f}: {', '.join(r)}" for f, r in self.errors.items())
        super().__init__(f"invalid record: {detail}")


class DuplicateCandidatesError(RegistryError):
    """Someone with the same name (in any spelling), birth date and sex is registered already.

    Registering anyway needs an explicit confirmation: duplicate NIKs for one person are a
    known plague of real registries.
    """

    def __init__(self, candidates: Sequence[Mapping[str, Any]]) -> None:
        self.candidates = [dict(c) for c in candidates]  # plain values: outlive the session
        niks = ", ".join(c["nik"] for c in self.candidates)
        super().__init__(
            f"possible duplicate of {niks}: same name, birth date and sex; "
            "confirm to register anyway"
        )


class ConflictError(RegistryError):
    """The write would break a uniqueness rule or lost a race to another writer."""


class SerialExhaustedError(RegistryError):
    def __init__(self, prefix: str) -> None:
        super().__init__(f"all 9999 serials of {prefix} are issued")
        self.prefix = prefix
