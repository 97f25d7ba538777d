"""The form a supervisor fills in to make a batch."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField
from wtforms import RadioField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from registry.batches import MAX_REASON

from ..web.choices import SelectChoice, options
from .labels import SELECTIONS

AREA = Regexp(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$",
              message=_l("A region code like 33.14.10 or 33.14.10.2007."))


class BatchForm(FlaskForm):
    kind = RadioField(_l("Whose cards"), choices=options(SELECTIONS.items()), default="kecamatan",
                      validators=[DataRequired()])
    kecamatan = SelectField(_l("Kecamatan"), validators=[Optional()], validate_choice=False)
    desa = SelectField(_l("Desa/kelurahan"), validators=[Optional()], validate_choice=False)
    niks = FileField(_l("CSV file of NIKs"), validators=[
        FileAllowed(["csv", "txt"], _l("A .csv or .txt file."))])
    q = StringField(_l("Search"), validators=[Optional(), Length(max=100)])
    area = StringField(_l("Only residents of (region code)"), validators=[Optional(), AREA])
    reason = StringField(_l("Why are these cards printed?"), validators=[
        DataRequired(), Length(max=MAX_REASON)])


def grouped(groups: dict[str, list[tuple[str, str]]]) -> object:
    """Options under ``<optgroup>`` headings, in the form this WTForms version wants."""
    if SelectChoice is None:
        return groups
    return [SelectChoice(value, text, optgroup=group)
            for group, choices in groups.items() for value, text in choices]
