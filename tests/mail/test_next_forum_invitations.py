""""Next forum in this series" invites the series' follow-up contacts through the outbox, to a
real SMTP server: participants of any forum of the series who agreed to be invited to further
meetings, and visitors who asked on a published page to hear about the next forums and
confirmed it; each address once, in its language, with the new forum's join link and a link
that withdraws exactly that consent. Nobody else."""

from __future__ import annotations

import re

from pinnwand.mail.models import OutboxMessage
from sqlalchemy import func, select

from tests.mail.test_keep_informed import FORM, _links, _publish
from tests.support.smtp import Received


def _series_with_forum(client, auth) -> tuple[dict, dict]:
    series = client.post("/api/v1/series", headers=auth, json={"title": "Dialogforen"}).json
    forum = client.post("/api/v1/events", headers=auth, json={
        "title": "Frühjahrsforum", "date": "2026-04-01", "series_id": series["id"],
        "workshops": [{"title": "Halten", "question": "Wie?"}]}).json
    return series, forum


def _contact(client, forum, name, **body) -> None:
    joined = client.post("/api/v1/join", json={"code": forum["join_code"], "name": name}).json
    answer = client.put("/api/v1/contact", headers={"Authorization": f"Bearer {joined['token']}"},
                        json=body)
    assert answer.status_code == 200, answer.json


def _withdraw_path(mail: Received) -> str:
    return re.search(r"http://localhost(/mail/withdraw/\S+)", mail.text()).group(1)


def test_the_next_forum_invites_the_series_follow_up_contacts(client, auth, mail_server):
    _, spring = _series_with_forum(client, auth)
    _contact(client, spring, "Anna", email="anna@example.org", follow_up=True, lang="en")
    _contact(client, spring, "Bernd", email="bernd@example.org", send_results=True)
    _contact(client, spring, "Greta", email="GRETA@example.org", follow_up=True)
    # Greta also asks on the published page (and confirms): still one invitation.
    page = _publish(client, auth, spring)
    assert client.post(f"{page}/subscribe?lang=de", data=FORM).status_code == 303
    [confirmation] = mail_server.wait_for(1)
    assert client.post(_links(confirmation)[0]).status_code == 200
    # A forum outside the series: its contacts are not invited.
    other = client.post("/api/v1/events", headers=auth, json={"title": "Anderswo"}).json
    _contact(client, other, "Olga", email="olga@example.org", follow_up=True)

    response = client.post(f"/api/v1/events/{spring['id']}/next-forum", headers=auth, json={
        "title": "Sommerforum", "date": "2026-07-01", "location": "Waren", "invite": True})
    assert response.status_code == 201, response.json
    summer = response.json
    assert summer["invited"] == 2
    mails = mail_server.wait_for(3)[1:]
    assert sorted(r.lower() for mail in mails for r in mail.recipients) == [
        "anna@example.org", "greta@example.org"]
    [anna] = mail_server.to("anna@example.org")
    [greta] = mail_server.to("greta@example.org")[1:]
    assert anna.message["Subject"] == "Invitation: Sommerforum"
    assert greta.message["Subject"] == "Einladung: Sommerforum"
    assert "Dialogforen" in greta.text() and "2026-07-01" in greta.text()
    join_url = summer["join_url"].replace("http://localhost", "")
    assert join_url in greta.text() and join_url in anna.html()
    assert greta.message["List-Unsubscribe"].strip().startswith(
        "<http://localhost/mail/withdraw/")
    # Anna withdraws through her invitation: her contact is gone, nobody else's.
    assert client.post(_withdraw_path(anna)).status_code == 200
    contacts = client.get(f"/api/v1/events/{spring['id']}/contacts", headers=auth).json
    assert sorted(c["email"].lower() for c in contacts["contacts"]) == [
        "bernd@example.org", "greta@example.org"]


def test_without_invite_nobody_gets_mail(app, client, auth, mail_server):
    _, spring = _series_with_forum(client, auth)
    _contact(client, spring, "Anna", email="anna@example.org", follow_up=True)
    response = client.post(f"/api/v1/events/{spring['id']}/next-forum", headers=auth,
                           json={"title": "Sommerforum"})
    assert response.status_code == 201 and response.json["invited"] == 0
    with app.extensions["pinnwand"].db.read() as session:
        assert session.scalar(select(func.count(OutboxMessage.id))) == 0
