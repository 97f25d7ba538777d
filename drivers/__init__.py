"""Card printer drivers: panels in, a card out of a printer, or a precise reason why not.

Knows nothing of the registry, the card layout or Flask (import-linter contract).
"""

from drivers.connect import open_printer, probe
from drivers.errors import (
    CardJamError,
    CommandRejectedError,
    CoverOpenError,
    FeederEmptyError,
    InvalidJobError,
    InvalidPrinterUriError,
    NoUsbBackendError,
    OneWayPrinterError,
    PrinterBusyError,
    PrinterDisconnectedError,
    PrinterError,
    PrinterFaultError,
    PrinterNotFoundError,
    PrinterOfflineError,
    PrinterPermissionError,
    PrinterTimeoutError,
    RibbonEndedError,
)
from drivers.evolis.encoder import EncodeOptions, encode_card, encode_stream
from drivers.evolis.printer import Printer
from drivers.jobs import CARD_SIZE, CardJob, SidePanels
from drivers.status import Counters, PrinterIdentity, PrinterStatus, PrintResult, Settlement
from drivers.uri import PrinterUri, parse_uri

__all__ = [
    "CARD_SIZE",
    "CardJamError",
    "CardJob",
    "CommandRejectedError",
    "Counters",
    "CoverOpenError",
    "EncodeOptions",
    "FeederEmptyError",
    "InvalidJobError",
    "InvalidPrinterUriError",
    "NoUsbBackendError",
    "OneWayPrinterError",
    "PrintResult",
    "Printer",
    "PrinterBusyError",
    "PrinterDisconnectedError",
    "PrinterError",
    "PrinterFaultError",
    "PrinterIdentity",
    "PrinterNotFoundError",
    "PrinterOfflineError",
    "PrinterPermissionError",
    "PrinterStatus",
    "PrinterTimeoutError",
    "PrinterUri",
    "RibbonEndedError",
    "Settlement",
    "SidePanels",
    "encode_card",
    "encode_stream",
    "open_printer",
    "parse_uri",
    "probe",
]
