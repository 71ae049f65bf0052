"""One rule for names, in every output: with names off, no participant is named anywhere –
not as an idea's author, not as a contributor to an action, not as a host who joined by a host
link, not as a message's sender – in any of the six report formats, the preview, the anonymity
review, the published page or its PDF; only the moderators are. With names on (and the
contributor's consent at sign-up) they are there; a contributor who did not agree never is;
an idea written privately and never revealed is never anywhere.

Property-style: hypothesis makes up the distinctive names (a fixed seed, a few examples), each
example runs a whole event through the app and reads every output back with the library a
reader would use (pypdf, python-docx, openpyxl, csv, json).
"""

from __future__ import annotations

import csv
import html
import io
import json
import re

import docx
import openpyxl
import pypdf
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from pinnwand.reports.hyphens import SOFT_HYPHEN

from tests.conftest import op_id
from tests.sockets.helpers import bearer, data_of, join_board, post

FORMATS = ("pdf", "docx", "md", "csv", "xlsx", "json")
CONSONANTS = "bcdfghjklmnpqrstvwxz"
# A name nobody else on the page could have: "Qx" and consonants, two words (so a line may
# break between them).
WORD = st.text(alphabet=CONSONANTS, min_size=4, max_size=7).map(lambda w: "Qx" + w)
NAME = st.tuples(WORD, WORD).map(lambda parts: f"{parts[0].capitalize()} {parts[1].capitalize()}")
PEOPLE = ("author", "contributor", "refuser", "typed", "host", "secret", "updater", "carried")


def _ack(tc, name: str, payload: dict) -> dict:
    return data_of(tc.emit(name, payload, callback=True))


def _earlier_forum(client, auth, moderator, names: dict[str, str]) -> tuple[int, int]:
    """A series whose first forum agreed an action, updated through a personal link with a
    name: ``(series id, action id)``."""
    series = client.post("/api/v1/series", headers=auth, json={"title": "Reihe"}).json
    earlier = client.post("/api/v1/events", headers=auth, json={
        "title": "Erstes Forum", "series_id": series["id"],
        "workshops": [{"title": "Vorher", "question": "Was lief?"}]}).json
    action = _ack(moderator, "save_action", {
        "workshop_id": earlier["workshops"][0]["id"], "op_id": op_id(),
        "title": "Lotsendienst aufbauen", "owner": "Landkreis"})["action"]
    link = client.post(f"/api/v1/actions/{action['id']}/update-link", headers=auth,
                       json={"name": names["updater"]}).json
    response = client.post(f"/api/v1/actions/{action['id']}/updates",
                           headers={"Authorization": f"Bearer {link['token']}"},
                           json={"status": "running", "note": "Zwei Lotsen gefunden"})
    assert response.status_code == 201, response.json
    return series["id"], action["id"]


def _run_event(client, auth, connect, join, names: dict[str, str]) -> dict:
    """An event in which every kind of person leaves a trace: an author's idea, a host's idea
    and message, a contributor who agreed to be named, one who did not, a name the moderator
    typed in (without consent), an idea written privately and never revealed; and, as the
    second forum of a series, the name on a personal link that updated an earlier action and
    a contributor the moderator added when carrying it forward (neither agreed to be
    named)."""
    moderator = connect(bearer(auth))
    series_id, earlier_action = _earlier_forum(client, auth, moderator, names)
    event = client.post("/api/v1/events", headers=auth, json={
        "title": "Forum der Region", "series_id": series_id, "workshops": [
            {"title": "Halten", "question": "Wie halten wir Fachkräfte?"},
            {"title": "Gewinnen", "question": "Wie gewinnen wir Fachkräfte?"}]}).json
    first, second = (w["id"] for w in event["workshops"])
    phones = {}
    for person in ("author", "contributor", "refuser", "secret"):
        phones[person] = connect(join(names[person], event["join_code"])["token"])
    for workshop in (first, second):
        join_board(moderator, workshop)
    for person in ("author", "contributor", "refuser"):
        join_board(phones[person], first)
    join_board(phones["secret"], second)
    data_of(post(phones["author"], first, "Mentoring für alle Neuen"))
    _ack(moderator, "configure_workshop", {"workshop_id": second, "private_writing": True})
    data_of(post(phones["secret"], second, f"Geheim notiert von {names['secret']}"))
    host_link = client.post(f"/api/v1/workshops/{first}/host-link", headers=auth,
                            json={"name": names["host"]}).json
    host = connect(host_link["token"])
    join_board(host, first)
    data_of(post(host, first, "Patenschaften mit Betrieben"))
    _ack(host, "send_message", {"workshop_id": first, "text": "Noch fünf Minuten"})
    _ack(moderator, "set_step", {"workshop_id": first, "step": "act"})
    action = _ack(moderator, "save_action", {"workshop_id": first, "op_id": op_id(),
                                             "title": "Patenprogramm starten",
                                             "owner": "Stadtverwaltung"})["action"]
    _ack(phones["contributor"], "sign_up", {"workshop_id": first, "action_id": action["id"],
                                            "brings": "Kontakte", "name_in_results": True})
    _ack(phones["refuser"], "sign_up", {"workshop_id": first, "action_id": action["id"],
                                        "brings": "Zeit"})
    _ack(moderator, "sign_up", {"workshop_id": first, "action_id": action["id"],
                                "name": names["typed"], "brings": "Räume"})
    _ack(moderator, "carry_action", {
        "workshop_id": first, "op_id": op_id(), "action_id": earlier_action,
        "contributors": [{"name": names["carried"], "organisation": "Verein"}]})
    # The ranking may be shown once the acting workshop's secret totals are revealed.
    _ack(moderator, "reveal_votes", {"workshop_id": first})
    _ack(moderator, "plenary_pull_top", {"event_id": event["id"], "per_workshop": 2})
    return event


def _squash(text: str) -> str:
    """Text as a reader sees it, compared without line breaks, hyphenation or spaces."""
    text = html.unescape(text.replace(SOFT_HYPHEN, ""))
    return re.sub(r"\s+", "", re.sub("\u2010\n", "", text))


def _read(fmt: str, body: bytes) -> str:
    """Everything a reader of the file sees, as one text."""
    if fmt == "pdf":
        return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(body)).pages)
    if fmt == "docx":
        document = docx.Document(io.BytesIO(body))
        cells = [cell.text for table in document.tables for row in table.rows
                 for cell in row.cells]
        footers = [p.text for section in document.sections for p in section.footer.paragraphs]
        return "\n".join([p.text for p in document.paragraphs] + cells + footers
                         + [document.core_properties.title or ""])
    if fmt == "xlsx":
        book = openpyxl.load_workbook(io.BytesIO(body))
        return "\n".join(str(cell) for sheet in book for row in sheet.iter_rows(values_only=True)
                         for cell in row if cell is not None)
    if fmt == "csv":
        return "\n".join(",".join(row) for row in csv.reader(io.StringIO(
            body.decode("utf-8-sig"))))
    if fmt == "json":
        return json.dumps(json.loads(body), ensure_ascii=False)
    return body.decode()


def _outputs(client, auth, event: dict, names_on: bool) -> dict[str, str]:
    """Every output of the event with names off or on, read back: the six formats, the
    preview, the review's list of names, the published page and its PDF."""
    flags = "authors=1&contributors=1" if names_on else "authors=0&contributors=0"
    base = f"/api/v1/events/{event['id']}"
    found = {}
    for fmt in FORMATS:
        response = client.get(f"{base}/report.{fmt}?lang=de&{flags}", headers=auth)
        assert response.status_code == 200, (fmt, response.data[:300])
        found[fmt] = _read(fmt, response.data)
    found["preview"] = client.get(f"{base}/report/preview?lang=de&{flags}", headers=auth).json[
        "html"]
    review = client.get(f"{base}/review?{flags}", headers=auth).json
    found["review"] = json.dumps(review["names"], ensure_ascii=False)
    published = client.put(f"{base}/publication", headers=auth, json={
        "lang": "de", "authors": names_on, "contributors": names_on}).json
    path = published["url"].replace("http://localhost", "")
    found["published page"] = client.get(path).get_data(as_text=True)
    found["published pdf"] = _read("pdf", client.get(f"{path}/report.pdf").data)
    return {where: _squash(text) for where, text in found.items()}


# Where a name shows with names on: everywhere, but the CSV lists ideas only (no hosts'
# facts, no actions) and the review lists names, not idea texts.
NAMED_WITH_NAMES_ON = {
    "author": set(FORMATS) | {"preview", "review", "published page", "published pdf"},
    "host": set(FORMATS) | {"preview", "review", "published page", "published pdf"},
    "contributor": (set(FORMATS) - {"csv"})
    | {"preview", "review", "published page", "published pdf"},
}


@settings(max_examples=3, derandomize=True, deadline=None,
          phases=[Phase.explicit, Phase.reuse, Phase.generate],  # no shrinking: slow events
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(names=st.lists(NAME, min_size=len(PEOPLE), max_size=len(PEOPLE), unique=True))
def test_names_off_names_nobody_and_names_on_only_who_may_be_named(client, auth, connect,
                                                                   join, moderator, names):
    people = dict(zip(PEOPLE, names, strict=True))
    event = _run_event(client, auth, connect, join, people)
    hidden = _squash(f"Geheim notiert von {people['secret']}")

    off = _outputs(client, auth, event, names_on=False)
    for where in (*FORMATS, "preview", "published page"):  # the register's section is there
        assert _squash("Lotsendienst aufbauen") in off[where], f"no register in {where}"
    for where, text in off.items():
        for person, name in people.items():
            assert _squash(name) not in text, f"names off: {person} {name!r} in {where}"
        assert hidden not in text, f"the never revealed idea is in {where}"
        if where not in ("csv", "xlsx"):  # tables without a cover
            assert _squash(moderator["name"]) in text, f"the moderation is not named in {where}"

    on = _outputs(client, auth, event, names_on=True)
    for where, text in on.items():
        for person, places in NAMED_WITH_NAMES_ON.items():
            shown = _squash(people[person]) in text
            assert shown == (where in places), f"names on: {person} in {where}: {shown}"
        for never in ("refuser", "typed", "secret", "updater", "carried"):  # no consent
            assert _squash(people[never]) not in text, f"names on: {never} in {where}"
        assert hidden not in text, f"the never revealed idea is in {where}"
