"""What the print page says while a card prints: one state, a headline, and what to do.

The state comes from the newest print attempt in the database (the truth about the card and
the blank) and from the print jobs running in this process (whether a print is still going).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

import drivers
from registry.models import Application, PrintAttempt, utcnow

from .labels import STATES, label
from .print_jobs import PrintJobs

# A print started by another server process (or before a restart) is shown as still printing
# for this long; after that it is treated as interrupted, to be settled with the printer.
PRINT_GRACE = dt.timedelta(minutes=2)

ACTIONS = {
    "feeder-empty": _l("Load blank cards into the printer's feeder, then print again."),
    "ribbon-ended": _l("Replace the ribbon (YMCKO for colour cards), close the cover, then "
                       "print again."),
    "cover-open": _l("Close the printer cover, then print again."),
    "jam": _l("Open the cover and remove the jammed card. Close the cover, then print again."),
    "offline": _l("Check that the printer is switched on and connected, then print again."),
    "disconnected": _l("Reconnect the printer. Then settle the print: the printer's card "
                       "counter tells whether the card came out."),
    "timeout": _l("Wait until the printer is idle, then settle the print with its card "
                  "counter before printing again."),
    "not-found": _l("Check that the printer is switched on and its USB cable is plugged in."),
    "permission-denied": _l("The server may not open the printer: ask the administrator to "
                            "install the printer's udev rule."),
    "busy": _l("Another program uses the printer: close it, then print again."),
    "printer-fault": _l("Read the message on the printer's display and follow its manual."),
    "command-rejected": _l("The printer refused the job: ask the administrator to check the "
                           "printer model and ribbon."),
    "no-usb-backend": _l("The server has no USB support: ask the administrator to install "
                         "libusb."),
    "card-data": _l("A value cannot be printed on the card: correct the record, then print "
                    "again."),
    "spoiled": _l("Take the spoiled card out of the printer; it is recorded. Print again."),
    "not-started": _l("No card was taken from the feeder: print again."),
    "not-sent": _l("Nothing was sent to the printer: print again."),
    "untouched": _l("The blank was unused and is back in stock: print again."),
    "check-output": _l("Look in the printer's output tray: did the card come out? Record what "
                       "you find below."),
}


# What went wrong, by the outcome's code, in the clerk's language. The driver's own message is
# English and written for any program (it may say to record a spoiled card, which the app has
# done already): it is kept only as a detail, for the printer's manual or the administrator.
FAULTS = {
    "feeder-empty": _l("the printer's card feeder is empty"),
    "ribbon-ended": _l("the ribbon has ended, is missing or does not fit"),
    "cover-open": _l("the printer cover is open"),
    "jam": _l("a card jammed in the printer"),
    "offline": _l("the printer does not answer"),
    "disconnected": _l("the link to the printer broke during the print"),
    "timeout": _l("the printer did not answer in time"),
    "not-found": _l("the printer is not connected"),
    "permission-denied": _l("the server may not open the printer"),
    "busy": _l("another program is using the printer"),
    "printer-fault": _l("the printer reported a fault"),
    "command-rejected": _l("the printer refused the job"),
    "no-usb-backend": _l("the server has no USB support"),
    "one-way": _l("this printer address cannot answer questions"),
    "card-data": _l("a value cannot be printed on the card"),
    "spoiled": _l("a clerk found a spoiled blank"),
    "untouched": _l("a clerk found the blank unused"),
}


def _driver_actions() -> dict[str, str]:
    """Each driver error's English instruction, by its code."""
    found, todo = {}, [drivers.PrinterError]
    while todo:
        cls = todo.pop()
        found[cls.code] = cls.action
        todo.extend(cls.__subclasses__())
    return found


_DRIVER_ACTIONS = _driver_actions()


def fault_text(code: str | None, message: str | None = None) -> str:
    """What went wrong with a print, translated when the code is known."""
    found = FAULTS.get(code or "")
    return str(found) if found is not None else (message or code or "")


def driver_detail(code: str | None, message: str | None) -> str | None:
    """The driver's message without its English instruction (the page gives its own)."""
    if not message:
        return None
    action = _DRIVER_ACTIONS.get(code or "")
    if action and message.endswith(action):
        message = message[:-len(action)].strip()
    return message or None


def _age(attempt: PrintAttempt) -> dt.timedelta:
    return utcnow() - attempt.started_at


def status_of(application: Application, attempt: PrintAttempt | None,
              jobs: PrintJobs) -> dict[str, Any]:
    """The state of the card of ``application`` for the page and its poller."""
    running = jobs.running(application.id)
    out: dict[str, Any] = {"attempt_id": attempt.id if attempt else None, "code": None,
                           "detail": None, "action": None,
                           "application_state": application.state,
                           "application_state_label": label(STATES, application.state)}
    if running:
        printing_now = attempt is not None and attempt.state == "printing"
        return {**out, "state": "printing" if printing_now else "queued", "poll": True,
                "headline": _("Printing on %(printer)s…", printer=attempt.printer.name)
                if printing_now else _("Starting the print…")}
    if (error := jobs.error(application.id)) is not None:
        return {**out, "state": "error", "poll": False, "detail": error,
                "headline": _("The print did not start.")}
    if attempt is None:
        return {**out, "state": "idle", "poll": False, "headline": _("Not printed yet.")}
    if attempt.state == "printed":
        return {**out, "state": "printed", "poll": False,
                "headline": _("The card is printed. Check it, then hand it over.")}
    if attempt.state == "printing":
        if _age(attempt) < PRINT_GRACE and not jobs.known(application.id):
            return {**out, "state": "printing", "poll": True,
                    "headline": _("Printing on %(printer)s…", printer=attempt.printer.name)}
        return {**out, "state": "interrupted", "poll": False,
                "headline": _("The print was interrupted."),
                "action": _("Settle it: the printer's card counter tells whether the card "
                            "came out, so it is never printed twice.")}
    code = attempt.error_code
    action = str(ACTIONS[code]) if code in ACTIONS else None
    if attempt.state != "held" and attempt.card_consumed:
        action = " ".join(filter(None, [action, _(
            "The spoiled blank is recorded already: do not record it again.")]))
    out.update(code=code, detail=driver_detail(code, attempt.error_message), action=action,
               card_consumed=attempt.card_consumed)
    if attempt.state == "held":
        return {**out, "state": "held", "poll": False,
                "headline": _("The printer could not tell whether the card came out.")}
    headline = _("Printing failed: %(fault)s.", fault=fault_text(code, code))
    if attempt.card_consumed:
        headline += " " + _("The blank card was spoiled and is recorded in the stock ledger.")
    return {**out, "state": "failed", "poll": False, "headline": headline}


def printer_summary(status: Any) -> dict[str, Any]:
    """A printer's own state, for the list of printers to choose from."""
    words = {
        "ready": _l("Ready"), "ribbon-low": _l("Ready, ribbon low"),
        "printing": _l("Printing a card"),
        "feeder-empty": _l("Feeder empty"), "ribbon-ended": _l("Ribbon ended"),
        "cover-open": _l("Cover open"), "jam": _l("Card jam"), "offline": _l("Offline"),
    }
    state = status.state
    return {"state": state, "label": str(words.get(state, state)), "ready": status.ready,
            "reason": status.reason, "ribbon_remaining": status.ribbon_remaining,
            "action": str(ACTIONS[state]) if state in ACTIONS else None}
