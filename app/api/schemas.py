"""Request and response schemas of `/api/v1`. The same classes validate requests and produce
the OpenAPI document, so the published contract cannot drift from what the server checks."""

from __future__ import annotations

import re

from flask_smorest.error_handler import ErrorSchema as Error
from marshmallow import Schema, fields, validate

from registry import values
from registry.validation import MAX_LENGTH


def _ascii(pattern: str, error: str) -> validate.Regexp:
    """A pattern whose \\d means 0-9, as in the OpenAPI document (ECMA-262), not any Unicode
    digit: ``３３.１４.１０`` is no region code, and used to pass as one."""
    return validate.Regexp(pattern, flags=re.ASCII, error=error)


REGION_CODE = _ascii(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$",
                     error="must be a region code like 33.14.10 or 33.14.01.2001")
KECAMATAN_CODE = _ascii(r"^\d{2}\.\d{2}\.\d{2}$", error="must be a kecamatan code like 33.14.10")
DESA_CODE = _ascii(r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$",
                   error="must be a desa/kelurahan code like 33.14.01.2001")
DIGITS_16 = _ascii(r"^\d{16}$", error="must be exactly 16 digits")
RT_RW = _ascii(r"^0{0,2}[1-9]\d{0,2}$", error="must be a number 001-999")
NAME = validate.Regexp(r"^[A-Za-z][A-Za-z .,'\-]*$", error="may only contain letters, spaces and . , ' -")
PLACE = validate.Regexp(r"^[A-Za-z][A-Za-z .,'\-/()]*$",
                        error="may only contain letters, spaces and . , ' - / ( )")
ADDRESS = validate.Regexp(r"^[A-Za-z0-9][A-Za-z0-9 .,'\-/()#:]*$",
                          error="may only contain letters, digits, spaces and . , ' - / ( ) # :")


def _choice(field: str, **kwargs) -> fields.String:
    return fields.String(validate=validate.OneOf(values.allowed(field)), **kwargs)


class ResidentFields(Schema):
    """Every changeable element of a resident, none required (the PATCH body)."""

    nama = fields.String(validate=[validate.Length(1, MAX_LENGTH["nama"]), NAME])
    alamat = fields.String(validate=[validate.Length(1, MAX_LENGTH["alamat"]), ADDRESS])
    rt = fields.String(validate=RT_RW)
    rw = fields.String(validate=RT_RW)
    desa_code = fields.String(validate=DESA_CODE, metadata={"example": "33.14.10.1001"})
    agama = _choice("agama")
    status_perkawinan = _choice("status_perkawinan")
    pekerjaan = _choice("pekerjaan")
    kewarganegaraan = _choice("kewarganegaraan")
    itap_berlaku_hingga = fields.Date(allow_none=True, metadata={
        "description": "WNA only: the ITAP's end, which is also the KTP's validity"})
    hubungan_keluarga = _choice("hubungan_keluarga")
    status = _choice("status")


class ResidentPatch(ResidentFields):
    version = fields.Integer(strict=True, metadata={
        "description": "the version you read; a stale one is refused with 409"})
    note = fields.String(validate=validate.Length(max=500),
                         metadata={"description": "why the record changes (kept in the audit log)"})
    new_kepala_keluarga = fields.String(validate=DIGITS_16, metadata={
        "description": "the NIK of the active family member who becomes KEPALA KELUARGA when "
                       "this change takes the role (or active status) from the current head; "
                       "without it such a change is refused with 422, as a family with active "
                       "members keeps one active KEPALA KELUARGA"})
    # Static elements are accepted here only to be refused with a clear 422.
    nik = fields.String(metadata={"description": "static: always refused"})
    tempat_lahir = fields.String(metadata={"description": "static: always refused"})
    tanggal_lahir = fields.String(metadata={"description": "static: always refused"})
    golongan_darah = fields.String(metadata={"description": "static: always refused"})
    jenis_kelamin = fields.String(metadata={"description": "static: always refused"})


class ResidentCreate(ResidentFields):
    nama = fields.String(required=True, validate=[validate.Length(1, MAX_LENGTH["nama"]), NAME])
    tempat_lahir = fields.String(required=True, validate=[
        validate.Length(1, MAX_LENGTH["tempat_lahir"]), PLACE])
    alamat = fields.String(required=True,
                           validate=[validate.Length(1, MAX_LENGTH["alamat"]), ADDRESS])
    rt = fields.String(required=True, validate=RT_RW)
    rw = fields.String(required=True, validate=RT_RW)
    desa_code = fields.String(required=True, validate=DESA_CODE,
                              metadata={"example": "33.14.10.1001"})
    tanggal_lahir = fields.Date(required=True)
    jenis_kelamin = _choice("jenis_kelamin", required=True)
    golongan_darah = _choice("golongan_darah", required=True)
    agama = _choice("agama", required=True)
    status_perkawinan = _choice("status_perkawinan", required=True)
    pekerjaan = _choice("pekerjaan", required=True)
    kewarganegaraan = _choice("kewarganegaraan", load_default="WNI")
    nik = fields.String(validate=DIGITS_16, metadata={
        "description": "a NIK issued before; omitted: the next one is allocated"})
    kk = fields.String(validate=DIGITS_16, metadata={
        "description": "join this family; omitted: a new KK headed by this resident. A KK "
                       "number is checked like a NIK: its first six digits are a kecamatan "
                       "code of a province and kabupaten that exist"})
    confirm_duplicate = fields.Boolean(load_default=False, metadata={
        "description": "register although residents with the same name, birth date and sex exist"})


class ResidentOut(Schema):
    nik = fields.String()
    nama = fields.String()
    tempat_lahir = fields.String()
    tanggal_lahir = fields.Date()
    jenis_kelamin = fields.String()
    golongan_darah = fields.String()
    agama = fields.String()
    status_perkawinan = fields.String()
    pekerjaan = fields.String()
    kewarganegaraan = fields.String()
    itap_berlaku_hingga = fields.Date(allow_none=True)
    alamat = fields.String()
    rt = fields.String()
    rw = fields.String()
    desa_code = fields.String()
    desa = fields.String()
    kecamatan = fields.String()
    kabupaten = fields.String()
    provinsi = fields.String()
    kk = fields.String()
    hubungan_keluarga = fields.String()
    status = fields.String()
    version = fields.Integer()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class FieldWarning(Schema):
    field = fields.String(metadata={"description": "the field the warning is about, e.g. nik"})
    message = fields.String()


class ResidentCreated(ResidentOut):
    warnings = fields.List(fields.Nested(FieldWarning), metadata={
        "description": "what deserves a look but did not stop the registration, e.g. a given "
                       "NIK whose kecamatan is no longer in the region list (kecamatan were "
                       "split over the years); empty when nothing does"})


class ResidentSummary(Schema):
    nik = fields.String()
    nama = fields.String()
    tanggal_lahir = fields.Date()
    jenis_kelamin = fields.String()
    alamat = fields.String()
    desa_code = fields.String()
    desa = fields.String()
    kecamatan = fields.String()
    status = fields.String()


class SearchArgs(Schema):
    q = fields.String(load_default="", validate=validate.Length(max=100), metadata={
        "description": "NIK, KK, start of a NIK, or name words in any spelling (SOEKARNO finds "
                       "SUKARNO; the last word may be partly typed: SO finds SOEKARNO). Only "
                       "letters, digits and spaces count (% and _ are no wildcards); a q with "
                       "none of them is refused with 400. Empty: everyone in the area. Ranking: "
                       "names starting with the words before names with them later, the "
                       "spelling as typed before the other spelling; then the words in another "
                       "order, the typed order first"})
    kecamatan = fields.String(validate=KECAMATAN_CODE, metadata={
        "description": "a kecamatan code (33.14.10) of the region list, within your office's area"})
    desa = fields.String(validate=DESA_CODE, metadata={
        "description": "a desa/kelurahan code (33.14.01.2001) of the region list, within your "
                       "office's area"})
    page = fields.Integer(load_default=1, validate=validate.Range(1, 10_000))
    per_page = fields.Integer(load_default=20, validate=validate.Range(1, 100))


class SearchPageOut(Schema):
    items = fields.List(fields.Nested(ResidentSummary))
    total = fields.Integer()
    total_capped = fields.Boolean(metadata={"description": "more residents match than `total`"})
    page = fields.Integer()
    per_page = fields.Integer()


class FamilyMember(Schema):
    nik = fields.String()
    nama = fields.String()
    hubungan_keluarga = fields.String()
    jenis_kelamin = fields.String()
    tanggal_lahir = fields.Date()
    status = fields.String()


class FamilyOut(Schema):
    kk = fields.String()
    alamat = fields.String()
    rt = fields.String()
    rw = fields.String()
    desa_code = fields.String()
    desa = fields.String()
    kecamatan = fields.String()
    kepala_keluarga = fields.String(allow_none=True)
    members = fields.List(fields.Nested(FamilyMember))


class DuplicateError(Error):
    candidates = fields.List(fields.Nested(ResidentSummary), metadata={
        "description": "the registered residents within your office's area with the same name "
                       "(in any spelling or word order), birth date and sex"})
    candidates_outside_area = fields.Integer(metadata={
        "description": "how many more such residents live outside your office's area (who "
                       "they are is not shown); confirm_duplicate registers anyway"})
