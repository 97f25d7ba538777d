"""Batch reprint jobs and the print workers (issue: batch reprints)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the batch API, pages and commands."""
