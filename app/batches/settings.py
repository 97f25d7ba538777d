"""The batch settings, from the app's configuration (``KTP_BATCH_*`` environment variables or
the instance ``config.py``), with defaults that suit one office."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from flask import current_app

DEFAULTS = {
    "BATCH_POLL_SECONDS": 2.0,  # an idle worker looks for new cards this often
    "BATCH_FAULT_POLL_SECONDS": 5.0,  # a faulted printer is asked this often if it is ready
    "BATCH_LEASE_SECONDS": 60.0,  # a silent worker's printers may be taken over after this
    "BATCH_MAX_SPOILED": 3,  # blanks spoiled on one card before it is failed for a person
    "BATCH_MAX_FAILURES": 3,  # other failed prints of one card (not a printer fault) likewise
}


@dataclass(frozen=True)
class BatchSettings:
    poll_seconds: float
    fault_poll_seconds: float
    lease_seconds: float
    max_spoiled: int
    max_failures: int

    def but(self, **changes: Any) -> BatchSettings:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


def settings() -> BatchSettings:
    config = current_app.config
    value = {k: config.get(k, default) for k, default in DEFAULTS.items()}
    return BatchSettings(float(value["BATCH_POLL_SECONDS"]),
                         float(value["BATCH_FAULT_POLL_SECONDS"]),
                         float(value["BATCH_LEASE_SECONDS"]), int(value["BATCH_MAX_SPOILED"]),
                         int(value["BATCH_MAX_FAILURES"]))
