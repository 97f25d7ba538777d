"""The forms of a resident record: registration and correction.

Field rules live in the registry (`registry.validation`); these forms only collect values and
show the registry's reasons next to the field they concern.
"""

from __future__ import annotations

import weakref
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    Field,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, Regexp

from registry import values
from registry.regions import RegionIndex
from registry.residents import as_dict

from .choices import option, options
from .labels import FIELDS, label, reason_text


def _choices(values_: tuple[str, ...], blank: bool = True) -> list[Any]:
    return options(values_, blank=blank)


_DESA_CHOICES: weakref.WeakKeyDictionary[RegionIndex, dict[str, Any]] = \
    weakref.WeakKeyDictionary()


def desa_choices(index: RegionIndex, area: str) -> dict[str, list[Any]]:
    """The villages a clerk may choose, grouped by kecamatan (an ``<optgroup>`` each).

    Walking the region list costs a scan of its 92,000 codes per level, so the answer is kept
    per area for as long as the process holds the same region index.
    """
    known = _DESA_CHOICES.setdefault(index, {})
    if area not in known:
        known[area] = _desa_choices(index, area)
    return known[area]


def _desa_choices(index: RegionIndex, area: str) -> dict[str, list[Any]]:
    if index.is_desa(area):
        return {index.place(area).kecamatan: [option(area, f"{index.name(area)} ({area})")]}
    kecamatan = [area] if index.is_kecamatan(area) else [
        k for k in _descendants(index, area) if index.is_kecamatan(k)]
    return {f"{index.name(k)} ({k})": [option(d, f"{index.name(d)} ({d})")
                                       for d in index.children(k)]
            for k in kecamatan}


def _descendants(index: RegionIndex, code: str) -> list[str]:
    found, level = [code], [code]
    while level and not index.is_kecamatan(level[0]):
        level = [c for parent in level for c in index.children(parent)]
        found.extend(level)
    return found


class _Record(FlaskForm):
    nama = StringField(_l("Full name"), validators=[DataRequired(), Length(max=60)],
                       render_kw={"autocomplete": "off"})
    agama = SelectField(_l("Religion"), choices=_choices(values.AGAMA),
                        validators=[DataRequired()])
    status_perkawinan = SelectField(_l("Marital status"),
                                    choices=_choices(values.STATUS_PERKAWINAN),
                                    validators=[DataRequired()])
    pekerjaan = SelectField(_l("Occupation"), validators=[DataRequired()])
    kewarganegaraan = SelectField(_l("Citizenship"), choices=_choices(values.KEWARGANEGARAAN,
                                                                      blank=False))
    itap_berlaku_hingga = DateField(_l("ITAP valid until"), validators=[Optional()],
                                    render_kw={"type": "date"})
    alamat = StringField(_l("Address"), validators=[Optional(), Length(max=120)])
    rt = StringField(_l("RT"), validators=[Optional(), Regexp(r"^\d{1,3}$")],
                     render_kw={"inputmode": "numeric", "maxlength": 3})
    rw = StringField(_l("RW"), validators=[Optional(), Regexp(r"^\d{1,3}$")],
                     render_kw={"inputmode": "numeric", "maxlength": 3})
    desa_code = SelectField(_l("Village (desa/kelurahan)"), validators=[Optional()])
    hubungan_keluarga = SelectField(_l("Relationship in the family"),
                                    choices=_choices(values.HUBUNGAN_KELUARGA, blank=False))

    def prepare(self, index: RegionIndex, area: str) -> None:
        self.pekerjaan.choices = _choices(values.pekerjaan())
        self.desa_code.choices = {"": [option("", "–")], **desa_choices(index, area)}

    def show_errors(self, errors: dict[str, list[str]]) -> list[str]:
        """Put the registry's reasons on their fields; what has no field comes back."""
        return self.show_texts({name: [reason_text(r) for r in reasons]
                                for name, reasons in errors.items()})

    def show_texts(self, errors: dict[str, list[str]]) -> list[str]:
        """Put reasons already in the clerk's language on their fields; what has no field on
        this form (the place of birth, when correcting) comes back with the field's name."""
        unplaced = []
        for name, texts in errors.items():
            field: Field | None = getattr(self, name, None)
            if isinstance(field, Field):
                field.errors = [*field.errors, *texts]
            else:
                unplaced.extend(f"{label(FIELDS, name)}: {t}" for t in texts)
        return unplaced


class RegisterForm(_Record):
    nik = StringField(_l("NIK issued before"), validators=[Optional(), Regexp(r"^\d{16}$")],
                      render_kw={"inputmode": "numeric", "maxlength": 16})
    kk = StringField(_l("KK number (join an existing family)"),
                     validators=[Optional(), Regexp(r"^\d{16}$")],
                     render_kw={"inputmode": "numeric", "maxlength": 16})
    tempat_lahir = StringField(_l("Place of birth"), validators=[DataRequired(), Length(max=40)])
    tanggal_lahir = DateField(_l("Date of birth"), validators=[DataRequired()],
                              render_kw={"type": "date"})
    jenis_kelamin = SelectField(_l("Sex"), choices=_choices(values.JENIS_KELAMIN),
                                validators=[DataRequired()])
    golongan_darah = SelectField(_l("Blood type"), choices=_choices(values.GOLONGAN_DARAH),
                                 validators=[DataRequired()])
    confirm_duplicate = BooleanField(_l("I have checked the possible matches: this is a "
                                        "different person, register anyway"))

    RECORD = ("nama", "tempat_lahir", "tanggal_lahir", "jenis_kelamin", "golongan_darah",
              "agama", "status_perkawinan", "pekerjaan", "kewarganegaraan",
              "itap_berlaku_hingga", "alamat", "rt", "rw", "desa_code", "hubungan_keluarga")

    def record(self) -> dict[str, Any]:
        data = {name: getattr(self, name).data for name in self.RECORD}
        return {k: v for k, v in data.items() if v not in (None, "")}


class EditForm(_Record):
    status = SelectField(_l("Resident status"), choices=_choices(values.STATUS_PENDUDUK,
                                                                  blank=False))
    new_kepala_keluarga = SelectField(_l("New head of the family (KEPALA KELUARGA)"),
                                      choices=[], validators=[Optional()])
    version = HiddenField()
    note = TextAreaField(_l("Basis of the change"), validators=[DataRequired(), Length(max=400)],
                         render_kw={"rows": 2})

    EDITABLE = ("nama", "agama", "status_perkawinan", "pekerjaan", "kewarganegaraan",
                "itap_berlaku_hingga", "alamat", "rt", "rw", "desa_code", "hubungan_keluarga",
                "status")

    def offer_successors(self, resident: Any) -> None:
        """The members who may take over when the active KEPALA KELUARGA moves out, dies or
        hands the role over: the registry refuses that change unless one is named."""
        others = [m for m in resident.family.members
                  if m.id != resident.id and m.status == values.AKTIF]
        head = (resident.hubungan_keluarga == values.KEPALA_KELUARGA
                and resident.status == values.AKTIF)
        self.new_kepala_keluarga.choices = options(
            [(m.nik, f"{m.nama} ({m.nik})") for m in others] if head else [], blank=True)

    @property
    def offers_successor(self) -> bool:
        return len(self.new_kepala_keluarga.choices) > 1

    def fill(self, resident: Any) -> None:
        current = as_dict(resident)
        for name in self.EDITABLE:
            getattr(self, name).data = current[name]
        self.version.data = str(resident.version)

    def changes(self, resident: Any) -> dict[str, Any]:
        """Only the fields the clerk changed (compared as the registry normalises them)."""
        current = as_dict(resident)
        out = {}
        for name in self.EDITABLE:
            new = getattr(self, name).data
            if name in ("rt", "rw") and new and str(new).isdigit():
                new = f"{int(new):03d}"
            elif name in ("nama", "alamat") and new:
                new = " ".join(str(new).upper().split())
            if new == "":
                new = None
            if new != current[name]:
                out[name] = new
        return out
