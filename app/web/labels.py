"""What clerks read for the registry's codes and field names, in their language.

The registry stores codes (``DIAJUKAN``, ``PERUBAHAN DATA``, ``nama``); pages show these labels.
Values that are Indonesian words on the card itself (ISLAM, KAWIN, PETANI/PEKEBUN) are shown as
they are printed, in both languages.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

FIELDS = {
    "nik": _l("NIK"),
    "kk": _l("KK number"),
    "nama": _l("Full name"),
    "tempat_lahir": _l("Place of birth"),
    "tanggal_lahir": _l("Date of birth"),
    "jenis_kelamin": _l("Sex"),
    "golongan_darah": _l("Blood type"),
    "agama": _l("Religion"),
    "status_perkawinan": _l("Marital status"),
    "pekerjaan": _l("Occupation"),
    "kewarganegaraan": _l("Citizenship"),
    "itap_berlaku_hingga": _l("ITAP valid until"),
    "alamat": _l("Address"),
    "rt": _l("RT"),
    "rw": _l("RW"),
    "desa_code": _l("Village (desa/kelurahan)"),
    "hubungan_keluarga": _l("Relationship in the family"),
    "status": _l("Resident status"),
    "photo": _l("Photo"),
    "signature": _l("Signature"),
    "reason": _l("Reason"),
    "police_report_no": _l("Police report number"),
    "damaged_card_returned": _l("Damaged card handed in"),
    "document_ref": _l("Supporting document"),
    "received_by": _l("Received by"),
    "resident": _l("Resident"),
    "quantity": _l("Quantity"),
    "to_office": _l("Receiving office"),
    "office": _l("Office"),
    "username": _l("User name"),
    "role": _l("Role"),
    "code": _l("Code"),
    "name": _l("Name"),
    "uri": _l("Address (URI)"),
    "password": _l("Password"),
}

STATES = {
    "DIAJUKAN": _l("Submitted"),
    "DIVERIFIKASI": _l("Verified"),
    "DICETAK": _l("Printed"),
    "DISERAHKAN": _l("Handed over"),
    "DITOLAK": _l("Rejected"),
    "GAGAL CETAK": _l("Print failed"),
}

KINDS = {"BARU": _l("New card"), "CETAK ULANG": _l("Reprint")}

REASONS = {
    "BARU": _l("New card"),
    "RUSAK": _l("Damaged"),
    "HILANG": _l("Lost"),
    "PERUBAHAN DATA": _l("Data change"),
}

CARD_STATES = {
    "DICETAK": _l("Printed, not handed over"),
    "AKTIF": _l("In use"),
    "TIDAK BERLAKU": _l("Invalid"),
}

MOVEMENTS = {
    "RECEIVED": _l("Received"),
    "PRINTED": _l("Printed card"),
    "SPOILED": _l("Spoiled"),
    "RETURNED": _l("Returned"),
    "TRANSFER_OUT": _l("Transferred out"),
    "TRANSFER_IN": _l("Transferred in"),
}

ROLES = {"operator": _l("Operator"), "supervisor": _l("Supervisor"), "admin": _l("Administrator")}

ENTITIES = {
    "resident": _l("Resident"),
    "family": _l("Family"),
    "application": _l("Application"),
    "card": _l("Card"),
    "region": _l("Area"),
    "office": _l("Office"),
    "user": _l("User"),
    "printer": _l("Printer"),
    "role": _l("Role"),
    "print attempt": _l("Print attempt"),
}

ATTEMPTS = {
    "printing": _l("Printing"),
    "printed": _l("Printed"),
    "failed": _l("Failed"),
    "held": _l("Held: check the printer"),
}

ACTIONS = {
    "resident.create": _l("Registered"),
    "resident.update": _l("Record corrected"),
    "resident.photo": _l("Photo taken"),
    "resident.signature": _l("Signature taken"),
    "card.print": _l("Card printed"),
    "card.invalidate": _l("Card made invalid"),
}

RESIDENT_STATUS = {"AKTIF": _l("Active"), "PINDAH": _l("Moved out"), "MENINGGAL": _l("Deceased")}


def label(table: dict[str, Any], code: str | None) -> str:
    """The label of ``code`` in ``table``, or the code itself when it has none."""
    if code is None:
        return ""
    found = table.get(code)
    return str(found) if found is not None else code


def reason_text(text: str) -> str:
    """A registry reason, translated when the catalog knows it (see `app.web.messages`)."""
    return gettext(text)
