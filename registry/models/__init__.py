"""Every table of the registry; importing this module registers them all on `Base.metadata`."""

from . import batch, survey  # noqa: F401  (their tables register on import)
from .audit import AuditEntry
from .base import Base, utcnow
from .image import PHOTO, SIGNATURE, ResidentImage
from .issuance import Application, ApplicationEvent, Card, PrintAttempt
from .printer import Printer
from .printer_event import PrinterEvent
from .region import DESA, KABUPATEN, KECAMATAN, PROVINSI, Office, Region, RegionDataset
from .resident import Family, Resident, ResidentNameToken
from .serial import SerialCounter
from .stock import StockBalance, StockMovement
from .user import ADMIN, OPERATOR, ROLES, SUPERVISOR, ApiToken, User

__all__ = [
    "ADMIN",
    "DESA",
    "KABUPATEN",
    "KECAMATAN",
    "OPERATOR",
    "PHOTO",
    "PROVINSI",
    "ROLES",
    "SIGNATURE",
    "SUPERVISOR",
    "ApiToken",
    "Application",
    "ApplicationEvent",
    "AuditEntry",
    "Base",
    "Card",
    "Family",
    "Office",
    "PrintAttempt",
    "Printer",
    "PrinterEvent",
    "Region",
    "RegionDataset",
    "Resident",
    "ResidentImage",
    "ResidentNameToken",
    "SerialCounter",
    "StockBalance",
    "StockMovement",
    "User",
    "utcnow",
]
