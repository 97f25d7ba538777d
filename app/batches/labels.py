"""What clerks read for the batch states and codes (msgids in English, Indonesian in the
catalog under ``translations``)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

BATCH_STATES = {"running": _l("Running"), "paused": _l("Paused"), "cancelled": _l("Cancelled"),
                "done": _l("Done")}

CARD_STATES = {"pending": _l("Waiting"), "printing": _l("Printing"),
               "held": _l("Held: check the printer"), "printed": _l("Printed"),
               "failed": _l("Failed"), "skipped": _l("Skipped"), "cancelled": _l("Cancelled")}

SKIPS = {
    "deceased": _l("Deceased"),
    "moved-out": _l("Moved out"),
    "not-eligible": _l("Cannot get a KTP (age, marriage or ITAP)"),
    "no-photo": _l("No photo taken yet"),
    "no-signature": _l("No signature taken yet"),
    "open-application": _l("Has an open application at the counter"),
    "in-other-batch": _l("Already in another batch"),
    "card-since": _l("Got a card after the batch was made"),
    "invalid-nik": _l("Not a 16-digit NIK"),
    "not-found": _l("No resident with this NIK"),
    "duplicate": _l("Listed more than once"),
    "outside-area": _l("Lives outside your office's area"),
}

PRINTER_STATES = {"idle": _l("Ready, waiting for cards"), "printing": _l("Printing"),
                  "fault": _l("Fault: paused until it is cleared"),
                  "waiting-stock": _l("Waiting for blank cards"),
                  "blocked": _l("Waiting for a counter print"), "starting": _l("Starting"),
                  "stopped": _l("Stopped"), "no worker": _l("No worker")}

SELECTIONS = {"kecamatan": _l("A whole kecamatan"), "desa": _l("A whole desa/kelurahan"),
              "niks": _l("A list of NIKs (CSV file)"), "search": _l("A search")}

FINDINGS = {"printed": _l("A good card came out"),
            "spoiled": _l("A spoiled card (the blank is recorded as spoiled)"),
            "untouched": _l("Nothing: the blank is still in the feeder")}


def label(table: dict, code: str | None) -> str:
    if code is None:
        return ""
    found = table.get(code)
    return str(found) if found is not None else code
