"""Forms of an application: taking it (a first card, or a reprint with its evidence), and a
supervisor's rejection."""

from __future__ import annotations

import unicodedata

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from registry.models.issuance import HILANG, PERUBAHAN_DATA, RUSAK

from .choices import options


def readable(form: FlaskForm, field) -> None:
    """Evidence and names must hold a letter or digit: a lone combining mark or emoji passed
    ``.strip()`` and was accepted as a police report number."""
    data = field.data or ""
    if data.strip() and not any(unicodedata.category(c)[0] in "LN" for c in data):
        raise ValidationError(_l("Write it with letters or digits."))


class ApplyForm(FlaskForm):
    reason = RadioField(_l("Reason for the reprint"), validators=[Optional()], choices=options([
        (RUSAK, _l("Damaged (RUSAK): the damaged card is handed in")),
        (HILANG, _l("Lost (HILANG): with the police loss report")),
        (PERUBAHAN_DATA, _l("Data change (PERUBAHAN DATA): with the supporting document")),
    ]))
    damaged_card_returned = BooleanField(_l("The damaged card has been handed in at the counter"))
    police_report_no = StringField(_l("Police loss report number"),
                                   validators=[Optional(), Length(max=60), readable])
    document_ref = StringField(_l("Supporting document (kind and number)"),
                               validators=[Optional(), Length(max=120), readable])
    new_photo = BooleanField(_l("A new photo is part of the change"))

    def evidence(self) -> dict:
        """The keyword arguments of `registry.applications.submit` for a reprint."""
        reason = self.reason.data or None
        return {
            "reason": reason,
            "damaged_card_returned": bool(self.damaged_card_returned.data) if reason == RUSAK
            else None,
            "police_report_no": self.police_report_no.data if reason == HILANG else None,
            "document_ref": self.document_ref.data if reason == PERUBAHAN_DATA else None,
            "new_photo": bool(self.new_photo.data) and reason == PERUBAHAN_DATA,
        }


class RejectForm(FlaskForm):
    reason = TextAreaField(_l("Why is the application rejected?"),
                           validators=[DataRequired(), Length(max=300)], render_kw={"rows": 2})


class HandoverForm(FlaskForm):
    received_by = StringField(_l("Name of the person who receives the card"),
                              validators=[DataRequired(), Length(max=80), readable])
    identity_checked = BooleanField(
        _l("I checked the recipient's identity (the resident, or a family member on the same "
           "KK with a power of attorney)"), validators=[DataRequired()])
