"""Typed printer errors whose messages tell an operator what to do.

Every error also says whether a blank card was consumed (``card_consumed``): blank cards are
controlled stock, and the batch system must record spoiled blanks and never print a card twice.
``True``: a blank left the feeder and did not come out as a good card. ``False``: no blank was
taken. ``None``: unknowable from here (the link to the printer broke); settle it with
``Printer.settle()`` once the printer answers again.
"""

from __future__ import annotations


class PrinterError(Exception):
    """Base of every driver error."""

    code = "printer-error"
    action = "Check the printer and try again."
    retryable = False

    def __init__(
        self,
        detail: str | None = None,
        *,
        card_consumed: bool | None = False,
        reply: str | None = None,
        command: str | None = None,
    ) -> None:
        self.detail = detail or self.__class__.__doc__ or self.code
        self.card_consumed = card_consumed
        self.reply = reply
        self.command = command
        super().__init__(f"{self.detail} {self.action}".strip())

    def as_dict(self) -> dict[str, object]:
        """Plain values for the JSON API and the batch log."""
        return {
            "code": self.code,
            "message": str(self),
            "card_consumed": self.card_consumed,
            "retryable": self.retryable,
            "reply": self.reply,
        }


class InvalidJobError(PrinterError, ValueError):
    """The card job cannot be printed as given."""

    code = "invalid-job"
    action = "This is a bug in the caller: fix the job, nothing was sent to the printer."


class InvalidPrinterUriError(PrinterError, ValueError):
    """The printer address is not understood."""

    code = "invalid-uri"
    action = "Use usb://0f49:PID[?serial=SN], tcp://HOST:PORT, file:///PATH or virtual://NAME."


class NoUsbBackendError(PrinterError):
    """No libusb backend is installed, so USB printers cannot be reached."""

    code = "no-usb-backend"
    action = "Install libusb: on Debian/Ubuntu run `sudo apt-get install libusb-1.0-0`."


class PrinterNotFoundError(PrinterError):
    """The printer is not connected."""

    code = "not-found"
    action = "Check that the printer is switched on and its USB cable is plugged in."
    retryable = True


class PrinterPermissionError(PrinterError):
    """This user may not open the printer's USB device."""

    code = "permission-denied"
    action = (
        "Install the udev rule shipped with the driver: copy drivers/udev/60-ktp-evolis.rules "
        "to /etc/udev/rules.d/, run `sudo udevadm control --reload && sudo udevadm trigger`, "
        "add the service user to group lp, then unplug and replug the printer."
    )


class PrinterBusyError(PrinterError):
    """Another program is using the printer."""

    code = "busy"
    action = (
        "Close other printing programs (e.g. pause the CUPS queue for this printer) and try again."
    )
    retryable = True


class PrinterOfflineError(PrinterError):
    """The printer does not answer."""

    code = "offline"
    action = "Check that the printer is on and reachable (cable, network, address), then retry."
    retryable = True


class PrinterDisconnectedError(PrinterOfflineError):
    """The link to the printer broke during the job."""

    code = "disconnected"
    action = (
        "Reconnect the printer, then settle the job with the printer's card counter before "
        "printing it again."
    )


class PrinterTimeoutError(PrinterError):
    """The printer did not answer in time."""

    code = "timeout"
    action = (
        "Check the printer's display; once it is idle, settle the job with its card counter "
        "before printing it again."
    )
    retryable = True


class CommandRejectedError(PrinterError):
    """The printer rejected a command or one of its parameters."""

    code = "command-rejected"
    action = "The printer does not accept this stream: check the printer model and ribbon setting."


class FeederEmptyError(PrinterError):
    """The card feeder is empty."""

    code = "feeder-empty"
    action = "Load blank cards into the feeder, then print again."
    retryable = True


class RibbonEndedError(PrinterError):
    """The ribbon has ended, is missing, or does not fit the job."""

    code = "ribbon-ended"
    action = "Replace the ribbon (YMCKO for colour cards), close the cover, then print again."
    retryable = True


class CoverOpenError(PrinterError):
    """The printer cover is open."""

    code = "cover-open"
    action = "Close the printer cover, then print again."
    retryable = True


class CardJamError(PrinterError):
    """A card is jammed in the printer."""

    code = "jam"
    action = (
        "Open the cover, remove the jammed card (record it as spoiled), close the cover, "
        "then print again."
    )


class PrinterFaultError(PrinterError):
    """The printer reported a fault."""

    code = "printer-fault"
    action = "Read the message on the printer's display and follow the printer manual."


class OneWayPrinterError(PrinterError):
    """This printer address only accepts data; it cannot answer questions."""

    code = "one-way"
    action = "Use a usb://, tcp:// or virtual:// address to read status and counters."
