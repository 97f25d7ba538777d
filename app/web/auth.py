"""Signing in and out, the language switch, and a clerk changing their own password."""

from __future__ import annotations

import time

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from registry import audit, users

from ..auth.passwords import MIN_LENGTH, hash_password, verify
from ..database import db
from .access import me, safe_next, signed_in
from .choices import options
from .security import SEEN, end_session, strict_csp
from .signin import SignInRefusedError, authenticate

bp = Blueprint("auth", __name__)
strict_csp("auth")


class LoginForm(FlaskForm):
    username = StringField(_l("User name"), validators=[DataRequired(), Length(max=40)],
                           render_kw={"autocomplete": "username", "autofocus": True})
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)],
                             render_kw={"autocomplete": "current-password"})


class LanguageForm(FlaskForm):
    lang = SelectField(_l("Language"), choices=options([("id", "Bahasa Indonesia"),
                                                                ("en", "English")]))


class PasswordForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired()],
                            render_kw={"autocomplete": "current-password"})
    new = PasswordField(_l("New password"), validators=[DataRequired(), Length(min=MIN_LENGTH)],
                        render_kw={"autocomplete": "new-password"})
    again = PasswordField(_l("New password again"),
                          validators=[DataRequired(), EqualTo("new", _l("The two new passwords "
                                                                         "differ."))],
                          render_kw={"autocomplete": "new-password"})


def _address() -> str:
    return (request.remote_addr or "unknown")[:40]


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            signed = authenticate(form.username.data, form.password.data, _address())
        except SignInRefusedError as exc:
            form.password.errors.append(str(exc))
        else:
            end_session()  # a fresh session: nothing from before sign-in carries over
            login_user(signed.principal)
            session[SEEN] = time.time()
            session["office_name"] = signed.office_name
            return redirect(safe_next(request.args.get("next")) or url_for("home.index"))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
def logout():
    if current_user.is_authenticated:
        with db().write() as s:
            audit.record(s, me().actor, "logout", "user", me().username)
    end_session()
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.post("/language")
def language():
    form = LanguageForm()
    if form.validate_on_submit() and form.lang.data in current_app.config["LANGUAGES"]:
        session["lang"] = form.lang.data
    return redirect(safe_next(request.form.get("next")) or url_for("home.index"))


@bp.route("/account/password", methods=["GET", "POST"])
def password():
    refused = signed_in()
    if refused is not None:
        return refused
    form = PasswordForm()
    if form.validate_on_submit():
        with db().write() as s:
            user = users.get(s, me().username)
            if not verify(user.password_hash, form.current.data):
                form.current.errors.append(_("The current password is wrong."))
            else:
                users.set_password(s, me().actor, user.username, hash_password(form.new.data),
                                   note="changed by the user")
        if not form.current.errors:
            flash(_("Your password is changed."), "success")
            return redirect(url_for("home.index"))
    return render_template("auth/password.html", form=form)
