"""Clerk accounts, for administrators: create, disable or enable, unlock, reset a password.

An administrator manages the users of their office and the offices under it. New and reset
passwords are generated, shown once on the page that made them, and never stored in clear.
"""

from __future__ import annotations

import secrets

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length, Regexp

from registry import users
from registry.errors import ConflictError, InvalidRecordError
from registry.models import ADMIN, ROLES

from ..auth.passwords import hash_password
from ..database import db
from .access import deny, me, require_area, requires
from .choices import options
from .labels import ROLES as ROLE_LABELS
from .labels import reason_text
from .offices import office_options
from .pages import blueprint

bp = blueprint("admin", __name__)
MANAGE = _l("manage users")


class UserForm(FlaskForm):
    username = StringField(_l("User name"), validators=[
        DataRequired(), Regexp(r"^[a-z][a-z0-9._-]{2,39}$", message=_l(
            "3-40 lower-case letters, digits, . _ -, starting with a letter"))],
        render_kw={"autocomplete": "off"})
    full_name = StringField(_l("Full name"), validators=[Length(max=80)])
    role = SelectField(_l("Role"), choices=options((r, ROLE_LABELS[r]) for r in ROLES))
    office = SelectField(_l("Office"), validators=[DataRequired()])


def temporary_password() -> str:
    """Readable over the phone: no 0/O or 1/l look-alikes."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(3))


@bp.get("/admin/users", endpoint="users")
@requires(ADMIN, action=MANAGE)
def users_page():
    with db().read() as session:
        return render_template("admin/users.html",
                               people=users.listed(session, me().office_code),
                               now_locked=users.locked_until)


@bp.route("/admin/users/new", methods=["GET", "POST"])
@requires(ADMIN, action=MANAGE)
def new_user():
    form = UserForm()
    form.office.choices = office_options()
    if form.validate_on_submit():
        require_area(form.office.data, "office", form.office.data)
        password = temporary_password()
        try:
            with db().write() as session:
                users.create(session, me().actor, form.username.data, role=form.role.data,
                             office_code=form.office.data, password_hash=hash_password(password),
                             full_name=(form.full_name.data or "").strip())
        except InvalidRecordError as exc:
            for field, reasons in exc.errors.items():
                target = getattr(form, field, form.username)
                target.errors = [*target.errors, *map(reason_text, reasons)]
        except ConflictError:
            form.username.errors = [*form.username.errors, _("This user name is taken.")]
        else:
            return render_template("admin/password.html", username=form.username.data,
                                   password=password, created=True)
    return render_template("admin/new_user.html", form=form)


def _target(session, username: str):
    user = users.get(session, username)
    require_area(user.office_code, "user", username)
    return user


@bp.post("/admin/users/<username>/<any(disable, enable, unlock):change>")
@requires(ADMIN, action=MANAGE)
def change(username: str, change: str):
    if username == me().username and change == "disable":
        deny(_l("You cannot disable your own account."), "user", username)
    with db().write() as session:
        _target(session, username)
        if change == "unlock":
            users.unlock(session, me().actor, username)
        else:
            users.set_active(session, me().actor, username, change == "enable")
    messages = {"disable": _("%(user)s is disabled: their sessions and tokens stop working.",
                             user=username),
                "enable": _("%(user)s can sign in again.", user=username),
                "unlock": _("%(user)s is unlocked.", user=username)}
    flash(messages[change], "success")
    return redirect(url_for("admin.users"))


@bp.post("/admin/users/<username>/password")
@requires(ADMIN, action=MANAGE)
def reset_password(username: str):
    password = temporary_password()
    with db().write() as session:
        _target(session, username)
        users.set_password(session, me().actor, username, hash_password(password),
                           note="reset by an administrator")
    return render_template("admin/password.html", username=username, password=password,
                           created=False)
