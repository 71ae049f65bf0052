""""Keep me informed about the next forums" on the published page: a plain form, double opt-in
by a confirmation mail (nothing counts until confirmed), consent text and time stored,
withdrawable by the link in every mail; the moderators see and export the confirmed contacts."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

from pinnwand.db import utcnow
from pinnwand.privacy.models import Subscriber
from pinnwand.privacy.subscribers import UNCONFIRMED_DAYS, forget_unconfirmed
from sqlalchemy import select

from tests.http.helpers import assert_error, page_text
from tests.support.smtp import Received

FORM = {"name": "Greta Gewerbe", "email": "greta@example.org", "organisation": "Bäckerei G.",
        "consent": "yes"}


def _publish(client, auth, event, lang="de") -> str:
    answer = client.put(f"/api/v1/events/{event['id']}/publication", headers=auth,
                        json={"lang": lang})
    assert answer.status_code == 200, answer.json
    return answer.json["url"].replace("http://localhost", "")


def _links(mail: Received) -> tuple[str, str]:
    """The confirmation and the withdrawal link of a confirmation mail (paths)."""
    confirm = re.search(r"http://localhost(/mail/confirm/\S+)", mail.text()).group(1)
    withdraw = re.search(r"http://localhost(/mail/withdraw/\S+)", mail.text()).group(1)
    return confirm, withdraw


def _subscribers(client, auth, event) -> list[dict]:
    return client.get(f"/api/v1/events/{event['id']}/subscribers", headers=auth).json[
        "subscribers"]


def test_double_opt_in_from_the_form_to_the_export(app, client, auth, event, mail_server):
    page = _publish(client, auth, event)
    form = page_text(client.get(page))
    assert 'data-testid="keep-informed-form"' in form
    assert "meinen Namen, meine E-Mail-Adresse und meine Organisation" in form
    sent = client.post(f"{page}/subscribe?lang=de", data=FORM)
    assert sent.status_code == 303
    assert sent.headers["Location"].endswith("subscribed=1#keep-informed")
    assert 'data-testid="keep-informed-sent"' in page_text(client.get(sent.headers["Location"]))
    # stored, but not yet a contact
    [waiting] = _subscribers(client, auth, event)
    assert (waiting["name"], waiting["email"], waiting["organisation"]) == (
        "Greta Gewerbe", "greta@example.org", "Bäckerei G.")
    assert waiting["confirmed"] is False and waiting["requested_at"].endswith("Z")
    assert waiting["consent_text"].startswith("Ich willige ein, dass die Veranstalter von „"
                                              f"{event['title']}“")
    export = client.get(f"/exports/events/{event['id']}/subscribers.csv", headers=auth)
    assert len(list(csv.reader(io.StringIO(export.data.decode("utf-8-sig"))))) == 1  # header
    # the confirmation mail, in the page's language
    [mail] = mail_server.wait_for(1)
    assert mail.recipients == ["greta@example.org"]
    assert mail.message["Subject"] == "Bitte bestätigen: Einladungen zu den nächsten Foren"
    assert "Guten Tag Greta Gewerbe," in mail.text() and "Greta Gewerbe" in mail.html()
    confirm, withdraw = _links(mail)
    asked = client.get(confirm)
    assert 'data-state="ask_confirm"' in page_text(asked)
    assert _subscribers(client, auth, event)[0]["confirmed"] is False  # looking is not yes
    done = client.post(confirm)
    assert done.status_code == 200 and 'data-state="confirmed"' in page_text(done)
    [confirmed] = _subscribers(client, auth, event)
    assert confirmed["confirmed"] is True and confirmed["confirmed_at"].endswith("Z")
    rows = list(csv.DictReader(io.StringIO(
        client.get(f"/exports/events/{event['id']}/subscribers.csv",
                   headers=auth).data.decode("utf-8-sig"))))
    assert [(r["name"], r["email"], r["organisation"]) for r in rows] == [
        ("Greta Gewerbe", "greta@example.org", "Bäckerei G.")]
    assert rows[0]["consent_text"] == confirmed["consent_text"]
    # and withdrawn again by the link in the mail: gone at once
    assert 'data-state="withdrawn"' in page_text(client.post(withdraw))
    assert _subscribers(client, auth, event) == []
    assert client.get(confirm).status_code == 200  # "nothing stored under this link"
    assert 'data-state="gone"' in page_text(client.get(confirm))


def test_a_form_with_mistakes_is_shown_again_and_nothing_is_stored(client, auth, event,
                                                                     mail_server):
    page = _publish(client, auth, event, lang="en")
    answer = client.post(f"{page}/subscribe?lang=en",
                         data={"name": "", "email": "no address", "organisation": "x"})
    body = page_text(answer)
    assert answer.status_code == 200 and 'aria-invalid="true"' in body
    assert "Please enter your name." in body and "Please enter a valid e-mail address." in body
    assert "Please agree" in body and 'value="no address"' in body
    assert _subscribers(client, auth, event) == []
    assert mail_server.count() == 0


def test_asking_twice_sends_one_mail_and_a_confirmed_address_stays_confirmed(
        app, client, auth, event, mail_server):
    page = _publish(client, auth, event)
    client.post(f"{page}/subscribe", data=FORM)
    client.post(f"{page}/subscribe", data={**FORM, "email": "GRETA@example.org"})
    [mail] = mail_server.wait_for(1)
    assert len(_subscribers(client, auth, event)) == 1
    client.post(_links(mail)[0])
    client.post(f"{page}/subscribe", data=FORM)
    [entry] = _subscribers(client, auth, event)
    assert entry["confirmed"] is True
    assert mail_server.count() == 1


def test_requests_never_confirmed_are_forgotten_after_a_week(app, client, auth, event,
                                                             mail_server):
    page = _publish(client, auth, event)
    client.post(f"{page}/subscribe", data=FORM)
    db = app.extensions["pinnwand"].db
    with db.transaction() as session:
        assert forget_unconfirmed(session, utcnow() + timedelta(days=UNCONFIRMED_DAYS - 1)) == 0
        assert forget_unconfirmed(session, utcnow() + timedelta(days=UNCONFIRMED_DAYS + 1)) == 1
    with db.read() as session:
        assert session.scalars(select(Subscriber)).all() == []


def test_the_moderators_list_is_theirs_alone(client, auth, other_auth, event, mail_server):
    page = _publish(client, auth, event)
    client.post(f"{page}/subscribe", data=FORM)
    assert_error(client.get(f"/api/v1/events/{event['id']}/subscribers", headers=other_auth),
                 "forbidden")
    assert_error(client.get(f"/exports/events/{event['id']}/subscribers.csv"), "unauthorized")
    [entry] = _subscribers(client, auth, event)
    assert_error(client.delete(f"/api/v1/subscribers/{entry['id']}", headers=other_auth),
                 "forbidden")
    assert client.delete(f"/api/v1/subscribers/{entry['id']}", headers=auth).status_code == 204
    assert _subscribers(client, auth, event) == []
    assert_error(client.delete(f"/api/v1/subscribers/{entry['id']}", headers=auth),
                 "not_found")
