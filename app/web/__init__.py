"""The service counter: server-rendered pages for clerks (issue: the service counter).

Other features reuse what is set up here: ``templates/base.html`` (layout, navigation, flash
messages, language switch), `app.web.nav.register_nav` for their menu entries, CSRF on every
form, sign-in with throttling and the idle timeout, and the 403 page of `app.web.access`.
"""

from __future__ import annotations

import importlib

from flask import Blueprint, Flask
from werkzeug.routing import IntegerConverter

from registry.models.base import MAX_ROW_ID

# The page modules, each with its blueprint ``bp``, in the order their routes register.
PAGES = ("auth", "home", "residents", "registration", "applications", "capture", "printing",
         "handover", "stock", "audit", "reports", "admin", "offices", "printers")


class BoundedInt(IntegerConverter):
    """``<int:...>`` of the pages registered from here on, up to the largest row id: without a
    bound ``/applications/<10**30>`` matched and overflowed the database's integers (a 500);
    now it is a 404. (The API's routes say their own ``max``.)"""

    def __init__(self, url_map, *args, **kwargs) -> None:
        kwargs.setdefault("max", MAX_ROW_ID)
        super().__init__(url_map, *args, **kwargs)


def init_app(app: Flask) -> None:
    """Register the counter's blueprints, CSRF, session handling, templates and navigation."""
    from flask_babel import lazy_gettext as _l

    from ..auth import login_manager
    from . import nav, nul_bytes, security, templating, too_large
    from .access import register_errors

    # Pages of other features protected with flask_login.login_required sign in here too.
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Sign in first.")
    login_manager.login_message_category = "info"
    security.init_app(app)
    templating.init_app(app)
    register_errors(app)
    too_large.register(app)
    nul_bytes.register(app)
    app.url_map.converters["int"] = BoundedInt
    app.register_blueprint(Blueprint("web", __name__, template_folder="templates",
                                     static_folder="static", static_url_path="/static/web"))
    for name in PAGES:
        app.register_blueprint(importlib.import_module(f"{__name__}.{name}").bp)
    nav.init_app(app)
