"""Sending the results (contract §4): a mailing to everyone who consented, each once, in their
language, with the published page's link, the PDF when asked, and a one-click withdrawal link;
a test mail and a preview first; progress per recipient. A real SMTP server (aiosmtpd on
127.0.0.1) receives everything, and the app's own background sender delivers."""

from __future__ import annotations

import re
import shutil

import pytest
from pinnwand.config import load_settings
from pinnwand.mail.sender import mail_sender
from pinnwand.privacy.models import Contact
from sqlalchemy import select

from tests.http.helpers import assert_error, headers_of, page_text
from tests.support.server import wait_until

ANNA, BERND, CLARA = "anna@example.org", "bernd@example.org", "clara@example.org"


def _consent(client, join, name: str, email: str, lang: str = "de", results: bool = True,
             follow_up: bool = False) -> dict:
    joined = join(name)
    answer = client.put("/api/v1/contact", headers=headers_of(joined["token"]),
                        json={"email": email, "send_results": results, "follow_up": follow_up,
                              "lang": lang})
    assert answer.status_code == 200, answer.json
    return joined


@pytest.fixture
def contacts(client, join):
    """Anna (German), Bernd (English), Clara twice (once in capitals: one mail), Dora only
    for follow-up meetings (no results mail)."""
    _consent(client, join, "Anna", ANNA)
    _consent(client, join, "Bernd", BERND, lang="en")
    _consent(client, join, "Clara", CLARA)
    _consent(client, join, "Clara am Laptop", CLARA.upper())
    _consent(client, join, "Dora", "dora@example.org", results=False, follow_up=True)


def _publish(client, auth, event, lang="de") -> dict:
    answer = client.put(f"/api/v1/events/{event['id']}/publication", headers=auth,
                        json={"lang": lang})
    assert answer.status_code == 200, answer.json
    return answer.json


def _mail(client, auth, event, expect=201, **body):
    answer = client.post(f"/api/v1/events/{event['id']}/mailings", headers=auth,
                         json={"kind": "results", **body})
    assert answer.status_code == expect, answer.json
    return answer.json


def _done(client, auth, mailing_id: int) -> dict:
    def finished():
        answer = client.get(f"/api/v1/mailings/{mailing_id}", headers=auth).json
        return answer if answer["state"] == "done" else None
    return wait_until(finished, timeout=30, what="the mailing to finish")


# The contract -------------------------------------------------------------------------------

def test_results_go_to_everyone_who_consented_once_in_their_language(
        client, auth, event, contacts, mail_server):
    published = _publish(client, auth, event)
    mailing = _mail(client, auth, event, note="Danke fürs Mitmachen!")
    assert set(mailing) >= {"id", "event_id", "kind", "state", "recipients", "sent", "failed",
                            "deliveries"}
    assert (mailing["event_id"], mailing["kind"], mailing["recipients"]) == (
        event["id"], "results", 3)
    assert mailing["state"] in ("queued", "sending", "done")
    assert sorted(d["email"].lower() for d in mailing["deliveries"]) == [ANNA, BERND, CLARA]
    done = _done(client, auth, mailing["id"])
    assert (done["sent"], done["failed"]) == (3, 0)
    assert {d["state"] for d in done["deliveries"]} == {"sent"}
    assert all(d["error"] is None for d in done["deliveries"])
    mail_server.wait_for(3)
    assert mail_server.to("dora@example.org") == []
    anna, bernd = mail_server.to(ANNA)[0], mail_server.to(BERND)[0]
    assert len(mail_server.to(CLARA)) == 1
    # German for Anna, English for Bernd; plain text and HTML; the page's link
    assert anna.message["Subject"] == f"Die Ergebnisse von „{event['title']}“"
    assert bernd.message["Subject"] == f"The results of “{event['title']}”"
    assert "Danke fürs Mitmachen!" in anna.text() and "Danke fürs Mitmachen!" in anna.html()
    page = published["url"]
    assert f"{page}?lang=de" in anna.text() and f"{page}?lang=en" in bernd.text()
    assert f'href="{page}?lang=de"' in anna.html()
    assert anna.message["From"] == "Fachkräfte-Forum Südwest <ergebnisse@example.org>"
    assert anna.sender == "ergebnisse@example.org"
    assert anna.message["Content-Language"] == "de"
    # RFC 8058 one-click withdrawal, the same link as in the text
    link = re.fullmatch(r"<(http://localhost/mail/withdraw/\S+)>",
                        anna.message["List-Unsubscribe"].strip()).group(1)
    assert anna.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link in anna.text() and link in anna.html()
    assert link != re.search(r"<(\S+)>", bernd.message["List-Unsubscribe"]).group(1)


def test_nothing_is_sent_before_the_results_are_published(client, auth, event, contacts):
    assert_error(client.post(f"/api/v1/events/{event['id']}/mailings", headers=auth,
                             json={"kind": "results"}), "conflict")
    listing = client.get(f"/api/v1/events/{event['id']}/mailings", headers=auth).json
    assert (listing["published"], listing["recipients"], listing["mailings"]) == (False, 3, [])
    assert listing["mail"]["configured"] is True


def test_mailings_are_for_the_events_moderators(client, auth, other_auth, event, join,
                                                 contacts):
    _publish(client, auth, event)
    url = f"/api/v1/events/{event['id']}/mailings"
    assert_error(client.post(url, json={"kind": "results"}), "unauthorized")
    assert_error(client.post(url, headers=other_auth, json={"kind": "results"}), "forbidden")
    participant = headers_of(join("Eva")["token"])
    assert_error(client.post(url, headers=participant, json={"kind": "results"}), "forbidden")
    mailing = _mail(client, auth, event)
    assert_error(client.get(f"/api/v1/mailings/{mailing['id']}", headers=other_auth),
                 "forbidden")
    assert_error(client.get("/api/v1/mailings/999999", headers=auth), "not_found")


@pytest.mark.parametrize("body", [
    {}, {"kind": "everyone"}, {"kind": "results", "lang": "fr"},
    {"kind": "results", "subject": ""}, {"kind": "results", "note": "x" * 2001},
    {"kind": "results", "attach_pdf": "yes"}, {"kind": "results", "to": "x@example.org"},
])
def test_bad_mailings_are_refused(client, auth, event, contacts, body, mail_server):
    _publish(client, auth, event)
    assert_error(client.post(f"/api/v1/events/{event['id']}/mailings", headers=auth,
                             json=body), "invalid")
    assert client.get(f"/api/v1/events/{event['id']}/mailings", headers=auth).json[
        "mailings"] == []


def test_a_test_mail_goes_to_the_moderator_alone(client, auth, event, contacts, mail_server,
                                                 moderator):
    _publish(client, auth, event)
    mailing = _mail(client, auth, event, kind="test", lang="en", subject="Our results")
    assert (mailing["kind"], mailing["recipients"]) == ("test", 1)
    _done(client, auth, mailing["id"])
    [mail] = mail_server.wait_for(1)
    assert mail.recipients == [moderator["email"]]
    assert mail.message["Subject"] == "[Test] Our results"
    assert "test message to yourself" in mail.text()
    assert mail_server.to(ANNA) == []


def test_the_preview_shows_the_mail_before_anything_is_sent(client, auth, event, contacts,
                                                            mail_server):
    url = f"/api/v1/events/{event['id']}/mailings/preview"
    assert_error(client.post(url, headers=auth, json={}), "conflict")
    _publish(client, auth, event, lang="en")
    preview = client.post(url, headers=auth, json={"note": "See you!"}).json
    assert preview["lang"] == "en" and preview["recipients"] == 3
    assert preview["subject"] == f"The results of “{event['title']}”"
    assert "See you!" in preview["text"] and "<html" in preview["html"]
    german = client.post(url, headers=auth, json={"lang": "de"}).json
    assert german["subject"].startswith("Die Ergebnisse von")
    assert mail_server.count() == 0


def test_the_pdf_is_attached_when_asked(client, auth, event, contacts, mail_server):
    _publish(client, auth, event)
    mailing = _mail(client, auth, event, attach_pdf=True)
    assert mailing["attachment"]["filename"] == "2026-11-21-fachkraefte-forum-suedwest.pdf"
    _done(client, auth, mailing["id"])
    mail_server.wait_for(3)
    anna = mail_server.to(ANNA)[0]
    [(name, data)] = anna.attachments()
    assert name == "2026-11-21-fachkraefte-forum-suedwest.pdf" and data.startswith(b"%PDF")
    assert "als PDF an" in anna.text()
    english = mail_server.to(BERND)[0].attachments()
    assert english and english[0][1] != data  # the English PDF for Bernd


# Withdrawing by the link in the mail --------------------------------------------------------

def _withdraw_link(mail) -> str:
    link = re.search(r"<(\S+)>", mail.message["List-Unsubscribe"]).group(1)
    return link.replace("http://localhost", "")


def _contact_emails(app) -> list[str]:
    with app.extensions["pinnwand"].db.read() as session:
        return sorted(session.scalars(select(Contact.email)))


def test_the_withdrawal_link_asks_then_withdraws_in_one_click(app, client, auth, event,
                                                              contacts, mail_server):
    _publish(client, auth, event)
    _done(client, auth, _mail(client, auth, event)["id"])
    link = _withdraw_link(mail_server.wait_for(3) and mail_server.to(ANNA)[0])
    asked = client.get(link)
    assert asked.status_code == 200 and 'data-state="ask_withdraw"' in page_text(asked)
    assert ANNA in page_text(asked)
    assert ANNA in _contact_emails(app)  # looking changes nothing
    # a forged or damaged link leads nowhere (and withdraws nothing)
    forged = link[:-3] + ("AAA" if not link.endswith("AAA") else "BBB")
    assert client.get(forged).status_code == 404 and client.post(forged).status_code == 404
    assert client.get("/mail/withdraw/%3Cscript%3E").status_code == 404
    assert ANNA in _contact_emails(app)
    one_click = client.post(link, data="List-Unsubscribe=One-Click",
                            content_type="application/x-www-form-urlencoded")
    assert one_click.status_code == 200 and 'data-state="withdrawn"' in page_text(one_click)
    assert ANNA not in _contact_emails(app)
    again = client.post(link, data="List-Unsubscribe=One-Click")
    assert again.status_code == 200 and 'data-state="gone"' in page_text(again)
    assert 'data-state="gone"' in page_text(client.get(link))
    # the next mailing leaves her out
    mailing = _mail(client, auth, event)
    assert sorted(d["email"].lower() for d in mailing["deliveries"]) == [BERND, CLARA]


def test_withdrawing_stops_the_mails_still_waiting(app, client, auth, event, contacts,
                                                   mail_server):
    _publish(client, auth, event)
    first = _mail(client, auth, event)
    _done(client, auth, first["id"])
    link = _withdraw_link(mail_server.wait_for(3) and mail_server.to(BERND)[0])
    mail_sender(app).stop()  # nothing goes out now: the next mailing waits
    waiting = _mail(client, auth, event)
    client.post(link)
    answer = client.get(f"/api/v1/mailings/{waiting['id']}", headers=auth).json
    bernd = [d for d in answer["deliveries"] if d["email"] == BERND]
    assert bernd == [{"email": BERND, "state": "failed", "error": "consent withdrawn",
                      "attempts": 0, "sent_at": None}]


# Without a mail server ----------------------------------------------------------------------

def test_without_smtp_nothing_is_sent_and_the_pages_say_so(tmp_path, migrated_template):
    from pinnwand.factory import create_app

    instance = tmp_path / "plain"
    instance.mkdir()
    shutil.copy(migrated_template, instance / "pinnwand.db")
    plain = create_app(load_settings({"PINNWAND_INSTANCE_PATH": str(instance)}),
                       async_mode="threading")
    assert mail_sender(plain) is None
    from tests.conftest import _login, _make_moderator

    client = plain.test_client()
    auth = _login(client, _make_moderator(plain, "m@example.org", "Mo"))
    event = client.post("/api/v1/events", headers=auth, json={
        "title": "Forum", "workshops": [{"title": "W", "question": "?"}]}).json
    published = _publish(client, auth, event)
    assert_error(client.post(f"/api/v1/events/{event['id']}/mailings", headers=auth,
                             json={"kind": "results"}), "conflict")
    listing = client.get(f"/api/v1/events/{event['id']}/mailings", headers=auth).json
    assert listing["mail"] == {"configured": False, "server": None}
    page = page_text(client.get(published["url"].replace("http://localhost", "")))
    assert 'data-testid="keep-informed-off"' in page and "keep-informed-form" not in page
    plain.extensions["pinnwand"].db.dispose()


def test_deleting_personal_data_forgets_the_addresses_in_the_outbox(app, client, auth, event,
                                                                    contacts, mail_server):
    _publish(client, auth, event)
    sent = _done(client, auth, _mail(client, auth, event)["id"])
    mail_sender(app).stop()
    waiting = _mail(client, auth, event)
    assert client.post(f"/api/v1/events/{event['id']}/privacy/purge",
                       headers=auth).status_code == 200
    after = client.get(f"/api/v1/mailings/{sent['id']}", headers=auth).json
    assert (after["recipients"], after["sent"]) == (3, 3)
    assert {d["email"] for d in after["deliveries"]} == {""}
    given_up = client.get(f"/api/v1/mailings/{waiting['id']}", headers=auth).json
    assert {(d["email"], d["state"], d["error"]) for d in given_up["deliveries"]} == {
        ("", "failed", "personal data deleted")}
    with app.extensions["pinnwand"].db.read() as session:
        from pinnwand.mail.models import OutboxMessage

        stored = " ".join(f"{m.recipient} {m.text_body} {m.headers}"
                          for m in session.scalars(select(OutboxMessage)))
    assert ANNA not in stored and "withdraw" not in stored
