"""Pages without an account behind links in mails and the published page's form.

- ``/mail/withdraw/<token>``: ``GET`` asks, ``POST`` withdraws the consent at once (a
  participant's results consent, or a request to hear about the next forums). The ``POST`` is
  also the RFC 8058 one-click target of every mail's ``List-Unsubscribe`` header: it needs no
  cookie and no form field.
- ``/mail/confirm/<token>``: ``GET`` asks, ``POST`` confirms a request (double opt-in).
- ``POST /results/<secret>/subscribe``: the published page's "keep me informed" form.

Every page is plain HTML without script; a link that leads nowhere answers ``404``.
"""

from __future__ import annotations

from flask import current_app, redirect, render_template, request
from flask_babel import force_locale
from flask_babel import gettext as _
from pinnwand.api.helpers import base_url
from pinnwand.errors import Invalid, RateLimited
from pinnwand.events.models import Event
from pinnwand.mail.mailings import MailSetup
from pinnwand.mail.sender import mail_sender
from pinnwand.privacy import subscribers
from pinnwand.privacy.links import CONFIRM, CONTACT, WITHDRAW
from pinnwand.privacy.models import Contact
from pinnwand.ratelimit import SlidingWindow
from pinnwand.reports.pages import (
    KeepInformed,
    active_publication,
    gone_response,
    page_language,
    published_page,
    results,
)
from pinnwand.state import state

REQUESTS_PER_HOUR = 20  # "keep me informed" forms sent from one address
LIMITER_KEY = "pinnwand.subscribe_limiter"
FIELD_LIMITS = {"name": 80, "email": 254, "organisation": 200}


def _page(state_name: str, heading: str, lines: list[str], *, status: int = 200,
          button: str | None = None, event_title: str | None = None,
          withdraw_url: str | None = None):
    body = render_template("results/consent.html", state=state_name, heading=heading,
                           lines=lines, button=button, event_title=event_title,
                           withdraw_url=withdraw_url, messages={})
    return body, status, {"Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex",
                          "Cache-Control": "no-store"}


def _nowhere():
    return _page("unknown", _("This link leads nowhere"),
                 [_("Check that the link is complete, or ask the organisers.")], status=404)


def _event_title(session, row) -> str | None:
    event = session.get(Event, row.event_id)
    return event.title if event else None


# --------------------------------------------------------------------------- withdrawing


@results.route("/mail/withdraw/<token>", methods=["GET", "POST"])
def withdraw_consent(token: str):
    """A mail's link to withdraw consent: ``GET`` asks, ``POST`` withdraws at once (also the
    one-click ``List-Unsubscribe-Post`` target)."""
    secret_key = state().settings.secret_key
    with state().db.transaction() as session:
        found = subscribers.find_by_link(session, secret_key, WITHDRAW, token)
        if found is None:
            return _nowhere()
        kind, row = found
        if row is None:
            return _page("gone", _("Nothing is stored under this link"),
                         [_("Your consent was already withdrawn and your details deleted.")])
        title = _event_title(session, row)
        if request.method == "GET":
            return _ask_withdraw(kind, row, title)
        subscribers.withdraw(session, row)
    return _page("withdrawn", _("Your consent is withdrawn"),
                 [_("Your details are deleted. You will receive no further e-mail about "
                    "this.")], event_title=title)


def _ask_withdraw(kind: str, row, title: str | None):
    what = (_("the results of this event") if kind == CONTACT and isinstance(row, Contact)
            else _("invitations to the next forums"))
    return _page("ask_withdraw", _("Withdraw your consent?"),
                 [_("You agreed to receive %(what)s at %(email)s.", what=what,
                    email=row.email),
                  _("Withdrawing deletes your address at once.")],
                 button=_("Withdraw and delete my address"), event_title=title)


# --------------------------------------------------------------------------- confirming


@results.route("/mail/confirm/<token>", methods=["GET", "POST"])
def confirm_subscription(token: str):
    """A confirmation mail's link: ``GET`` asks, ``POST`` confirms (double opt-in)."""
    setup = _setup()
    with state().db.transaction() as session:
        found = subscribers.find_by_link(session, setup.secret_key, CONFIRM, token)
        if found is None:
            return _nowhere()
        row = found[1]
        if row is None:
            return _page("gone", _("Nothing is stored under this link"),
                         [_("The request was withdrawn or has expired. You can send it "
                            "again on the results page.")])
        title = _event_title(session, row)
        withdraw = setup.link(f"/mail/withdraw/{subscribers.token_of(setup, WITHDRAW, row)}")
        if request.method == "GET" and row.confirmed_at is None:
            return _page("ask_confirm", _("Confirm your request"),
                         [_("We will tell %(name)s at %(email)s about the next forums.",
                            name=row.name, email=row.email)],
                         button=_("Yes, keep me informed"), event_title=title,
                         withdraw_url=withdraw)
        subscribers.confirm(session, row)
    return _page("confirmed", _("Thank you – you are on the list"),
                 [_("We will tell you about the next forums. Every e-mail has a link to "
                    "withdraw your consent.")], event_title=title, withdraw_url=withdraw)


# --------------------------------------------------------------------------- the form


@results.post("/results/<secret>/subscribe")
def subscribe(secret: str):
    """The published page's "keep me informed" form: store the request and send the
    confirmation mail, then show the page again (``?subscribed=1``); with a mistake, the page
    with the form and what to fix (``200``, like any form shown again; ``429`` when one
    network sent too many)."""
    publication, status = active_publication(secret)
    if publication is None:
        return gone_response(status)
    lang = page_language(publication)
    values = {name: (request.form.get(name) or "").strip() for name in FIELD_LIMITS}
    values["consent"] = request.form.get("consent") == "yes"
    with force_locale(lang):
        errors = _form_errors(values)
    if not state().settings.smtp_url:
        errors = {"": _("This server sends no e-mail.")}
    if errors:
        return published_page(secret, publication, lang,
                              KeepInformed(values=values, errors=errors))
    try:
        _limit(request.remote_addr)
    except RateLimited:
        with force_locale(lang):
            errors = {"": _("Too many requests from your network. Please try again later.")}
        return published_page(secret, publication, lang,
                              KeepInformed(values=values, errors=errors), status=429)
    with state().db.transaction() as session:
        event = session.get(Event, publication.event_id)
        subscribers.request_subscription(
            session, event, name=values["name"], email=values["email"],
            organisation=values["organisation"], lang=lang, setup=_setup())
    sender = mail_sender(current_app)
    if sender is not None:
        sender.wake()
    return redirect(f"{request.script_root}/results/{secret}?lang={lang}&subscribed=1"
                    "#keep-informed", code=303)


def _form_errors(values: dict) -> dict[str, str]:
    errors = {}
    if not values["name"]:
        errors["name"] = _("Please enter your name.")
    for name, limit in FIELD_LIMITS.items():
        if len(values[name]) > limit or "\x00" in values[name]:
            errors[name] = _("At most %(n)s characters.", n=limit)
    try:
        subscribers.normalise_email(values["email"])
    except Invalid:
        errors["email"] = _("Please enter a valid e-mail address.")
    if not values["consent"]:
        errors["consent"] = _("Please agree – otherwise we may not store your details.")
    return errors


def _limit(address: str | None) -> None:
    limiter = current_app.extensions.setdefault(LIMITER_KEY,
                                                SlidingWindow(REQUESTS_PER_HOUR, 3600.0))
    limiter.check(address, "Too many requests from your network: wait {seconds} s.")
    limiter.record(address)


def _setup() -> MailSetup:
    settings = state().settings
    return MailSetup(base_url=base_url(), secret_key=settings.secret_key,
                     mail_from=settings.mail_from)
