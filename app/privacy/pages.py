"""The participants' "stay in touch" page and the moderators' export of the contact list.

``/join/<code>/contact`` is a thin page: ``static/js/contact.js`` reads the participant's
token from the phone's storage (the one ``/join/<code>`` keeps) and talks to
``/api/v1/contact``. The consent sentences it shows come from
:func:`pinnwand.privacy.services.consent_text`, the very function that writes the stored text.
"""

from __future__ import annotations

import csv
import io

from flask import Response, redirect, render_template, url_for
from flask_babel import gettext as _
from pinnwand.api.helpers import moderator
from pinnwand.errors import RateLimited
from pinnwand.events.services import moderated_event
from pinnwand.i18n import current_language, js_messages
from pinnwand.pages.views import normalise_code, page_of_code
from pinnwand.privacy import services
from pinnwand.reports.formats.cells import inert
from pinnwand.reports.pages import results
from pinnwand.reports.render import slugify
from pinnwand.state import state

CSV_COLUMNS = ("email", "name", "send_results", "follow_up", "consented_at", "consent_lang",
               "consent_text")


def contact_messages() -> dict[str, str]:
    """The strings ``static/js/contact.js`` shows."""
    return {
        "saving": _("Saving …"),
        "saved": _("Thank you! Your address is stored."),
        "save_failed": _("Not stored: {message}"),
        "email_invalid": _("Please enter a valid e-mail address."),
        "purpose_missing": _("Tick at least one box – otherwise we store nothing."),
        "withdrawn": _("Your address and your consent are deleted."),
        "withdraw_failed": _("Could not delete: {message}"),
        "session_expired": _("Your session has ended. Join the event again to leave an "
                             "address."),
        "consented_at": _("Consent given on {date}"),
        "purpose_results": _("Send me the results"),
        "purpose_follow_up": _("Invite me to follow-up meetings"),
    }


@results.get("/join/<code>/contact")
def contact(code: str):
    """The participant's "stay in touch" page of an event (unknown code: 404 page)."""
    normal = normalise_code(code)
    if normal != code:
        return redirect(url_for("results.contact", code=normal))
    try:
        found = page_of_code(normal)
    except RateLimited:
        return render_template("pages/home.html", rate_limited=True,
                               messages=js_messages()), 429
    if found is None:
        return render_template("pages/home.html", unknown_code=code,
                               messages=js_messages()), 404
    event = found.event
    lang = current_language()
    consent = {key: services.consent_text(lang, event.title, results_, follow_up)
               for key, results_, follow_up in (("send_results", True, False),
                                                 ("follow_up", False, True),
                                                 ("both", True, True))}
    return render_template("results/contact.html", event=event, page_code=normal,
                           messages=js_messages(),
                           page_messages=contact_messages(),
                           contact_data={"consent": consent, "lang": lang})


@results.get("/exports/events/<int:event_id>/contacts.csv")
def contacts_csv(event_id: int):
    """The event's contact list as CSV (UTF-8 with BOM, formula-like text inert), for the
    event's moderators (``Authorization: Bearer``)."""
    identity = moderator()
    with state().db.read() as session:
        event = moderated_event(session, identity, event_id)
        rows = [(c.email, name, "yes" if c.send_results else "no",
                 "yes" if c.follow_up else "no", services.contact_json(c)["consented_at"],
                 c.consent_lang, c.consent_text)
                for c, name in services.contacts_of_event(session, event_id)]
        stem = "-".join(part for part in (event.date.isoformat() if event.date else "",
                                          slugify(event.title) or "event", "contacts") if part)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows([inert(value) for value in row] for row in rows)
    return Response(buffer.getvalue().encode("utf-8-sig"), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{stem}.csv"',
        "Cache-Control": "no-store",
    })
