"""Login, logout and the gate in front of every route: nobody reaches anything but /login without logging in."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    current_app,
    g,
    has_request_context,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask import session as flask_session
from flask.sessions import SecureCookieSessionInterface
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFProtect, generate_csrf
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from dashboard.database import session_scope
from data.audit import audit
from data.models import User
from data.users import authenticate, clear_login_failures, login_delay, new_session_token, record_login_failure

bp = Blueprint("auth", __name__)
csrf = CSRFProtect()

PUBLIC_ENDPOINTS = {"auth.login", "_dash_assets.static"}
DASH_API_PREFIXES = ("/_dash-", "/_reload-hash", "/_favicon", "/api/")


@dataclass
class CurrentUser(UserMixin):
    """The logged-in user as plain data; `token` ties the login to the user's current session token."""

    id: int
    username: str
    role: str
    municipality: str | None
    token: str

    def get_id(self) -> str:
        return f"{self.id}:{self.token}"

    @property
    def can_edit(self) -> bool:
        return self.role in ("redigerare", "admin")

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def _as_current(user: User) -> CurrentUser:
    return CurrentUser(
        id=user.id,
        username=user.username,
        role=user.role,
        municipality=user.municipality.name if user.municipality else None,
        token=user.session_token,
    )


class LoginForm(FlaskForm):
    username = StringField("Användarnamn", validators=[DataRequired("Fyll i användarnamn."), Length(max=80)])
    password = PasswordField("Lösenord", validators=[DataRequired("Fyll i lösenord."), Length(max=200)])


def client_address() -> str:
    return request.remote_addr or "okänd"


def _safe_next(target: str | None) -> str:
    """Only a local path is followed after login (no open redirect)."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    error = None
    status = 200
    if form.validate_on_submit():
        username = form.username.data.strip()
        address = client_address()
        with session_scope() as s:
            wait = login_delay(s, username, address)
            if wait:
                audit(
                    "login_throttled",
                    f"Inloggning stoppad (för många försök): konto={username!r} adress={address} vänta={wait}s",
                    level=logging.WARNING,
                    account=username,
                    address=address,
                    wait_seconds=wait,
                )
                error = f"För många misslyckade försök. Vänta {wait} sekunder och försök igen."
                status = 429
            else:
                user = authenticate(s, username, form.password.data)
                if user is None:
                    record_login_failure(s, username, address)
                    audit(
                        "login_failed",
                        f"Misslyckad inloggning: konto={username!r} adress={address}",
                        level=logging.WARNING,
                        account=username,
                        address=address,
                    )
                    error = "Fel användarnamn eller lösenord."
                    status = 401
                else:
                    clear_login_failures(s, username)
                    s.flush()
                    s.refresh(user, ["municipality"])
                    current = _as_current(user)
        if error is None:
            flask_session.clear()  # a new session at login: nothing carries over from before
            login_user(current)
            audit(
                "login",
                f"Inloggning: konto={current.username!r} roll={current.role} adress={address}",
                account=current.username,
                role=current.role,
                municipality=current.municipality,
                address=address,
            )
            return redirect(_safe_next(request.args.get("next")))
    elif request.method == "POST":
        status = 400
        error = (
            " ".join(e for errs in form.errors.values() for e in errs)
            or "Formuläret kunde inte skickas. Ladda om sidan."
        )
    return render_template("login.html", form=form, error=error), status


@bp.route("/logout", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        with session_scope() as s:
            user = s.get(User, current_user.id)
            if user is not None:
                user.session_token = new_session_token()
        audit("logout", f"Utloggning: konto={current_user.username!r}", account=current_user.username)
    logout_user()
    flask_session.clear()
    return redirect(url_for("auth.login"))


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed session cookie, Secure whenever the request came over HTTPS (directly, or from a proxy that
    gunicorn trusts: --forwarded-allow-ips and X-Forwarded-Proto), not only when SESSION_COOKIE_SECURE says so."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return super().get_cookie_secure(app) or (has_request_context() and request.is_secure)


def _load_user(user_id: str) -> CurrentUser | None:
    try:
        raw_id, token = user_id.split(":", 1)
        uid = int(raw_id)
    except ValueError:
        return None
    with session_scope() as s:
        user = s.scalars(select(User).options(selectinload(User.municipality)).filter_by(id=uid)).one_or_none()
        if user is None or user.session_token != token:
            return None
        return _as_current(user)


def _gate():
    """Refuse every request from a visitor who is not logged in, except the login page and static assets."""
    if request.endpoint in PUBLIC_ENDPOINTS or current_user.is_authenticated:
        return None
    if request.path.startswith(DASH_API_PREFIXES):
        return jsonify(error="Inloggning krävs."), 401
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def _csrf_cookie(response):
    # Dash's renderer sends this cookie back as the X-CSRFToken header on every callback. Only a user this request
    # has already loaded counts: asking current_user would look the user up again, and with the database down that
    # turns the app's 503 page into a 500.
    user = g.get("_login_user")
    if user is not None and user.is_authenticated:
        secure = request.is_secure or bool(current_app.config["SESSION_COOKIE_SECURE"])
        response.set_cookie("_csrf_token", generate_csrf(), samesite="Lax", secure=secure, httponly=False)
    return response


def init_auth(server: Flask) -> None:
    manager = LoginManager()
    manager.login_view = "auth.login"
    manager.session_protection = "basic"
    manager.user_loader(_load_user)
    manager.init_app(server)
    server.session_interface = SessionInterface()
    server.before_request(_gate)  # before CSRF, so an anonymous request is refused as such
    csrf.init_app(server)
    server.register_blueprint(bp)
    server.after_request(_csrf_cookie)
