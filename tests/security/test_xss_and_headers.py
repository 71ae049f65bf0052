"""Script in user text: stored and handed out verbatim as JSON strings, never rendered as HTML.

Escaping is the renderer's job: the API returns exactly what was sent (as JSON strings, with
``nosniff``), the server-rendered pages escape every user text, and every HTML page carries a
Content-Security-Policy that forbids inline script (except the static texts the phone page
carries inline, which its policy names by hash), so even a missed escape would not run.
"""

from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

IMG = "<img src=x onerror=alert(1)>"
SCRIPT = "<script>alert(1)</script>"
BREAKOUT = "</script><script>alert(2)</script>"
ATTRIBUTE = "\"><svg onload=alert(3)>'"
PAYLOADS = [IMG, SCRIPT, BREAKOUT, ATTRIBUTE]
STATIC_JS = Path(__file__).resolve().parents[2] / "static" / "js"


def _auth(world, role: str = "moderator") -> dict:
    return world.headers(role)


@pytest.fixture
def hostile_event(world) -> dict:
    """An event of the world's moderator whose every text field carries script."""
    response = world.client.post("/api/v1/events", headers=_auth(world), json={
        "title": IMG + BREAKOUT, "location": ATTRIBUTE, "description": SCRIPT + IMG,
        "agenda": [{"title": SCRIPT, "speaker": IMG, "organisation": ATTRIBUTE}],
        "workshops": [{"title": IMG, "question": SCRIPT},
                      {"title": BREAKOUT, "question": ATTRIBUTE}],
    })
    assert response.status_code == 201, response.json
    return response.json


def _json(response) -> dict:
    assert response.mimetype == "application/json", response.mimetype
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    return response.json


def test_event_texts_come_back_verbatim(world, hostile_event):
    event = _json(world.client.get(f"/api/v1/events/{hostile_event['id']}",
                                   headers=_auth(world)))
    assert (event["title"], event["location"], event["description"]) == \
        (IMG + BREAKOUT, ATTRIBUTE, SCRIPT + IMG)
    assert [(w["title"], w["question"]) for w in event["workshops"]] == \
        [(IMG, SCRIPT), (BREAKOUT, ATTRIBUTE)]
    talk = event["agenda"][0]
    assert (talk["title"], talk["speaker"], talk["organisation"]) == (SCRIPT, IMG, ATTRIBUTE)
    listed = _json(world.client.get("/api/v1/events", headers=_auth(world)))["events"]
    assert IMG + BREAKOUT in [e["title"] for e in listed]


def test_names_and_ideas_come_back_verbatim_everywhere(world, hostile_event):
    joined = _json(world.client.post("/api/v1/join", json={
        "code": hostile_event["join_code"], "name": IMG}))
    assert joined["event"]["title"] == IMG + BREAKOUT
    assert [w["title"] for w in joined["workshops"]] == [IMG, BREAKOUT]
    token = joined["token"]
    me = _json(world.client.get("/api/v1/auth/me",
                                headers={"Authorization": f"Bearer {token}"}))
    assert me["name"] == IMG
    workshops = _json(world.client.get(f"/api/v1/events/{hostile_event['id']}/workshops",
                                       headers={"Authorization": f"Bearer {token}"}))
    assert [w["question"] for w in workshops["workshops"]] == [SCRIPT, ATTRIBUTE]

    workshop = hostile_event["workshops"][0]["id"]
    phone, mod = world.socket_with(token), world.socket("moderator")
    assert phone.emit("join_workshop", {"workshop_id": workshop}, callback=True)["ok"]
    assert mod.emit("join_workshop", {"workshop_id": workshop}, callback=True)["ok"]
    watch = mod.emit("watch_event", {"event_id": hostile_event["id"]}, callback=True)
    assert [w["title"] for w in watch["data"]["workshops"]] == [IMG, BREAKOUT]
    mod.get_received()
    texts = []
    for number, text in enumerate(PAYLOADS):
        ack = phone.emit("create_idea", {"workshop_id": workshop, "op_id": f"xss-op-{number:04}",
                                         "text": text}, callback=True)
        assert ack["ok"], ack
        assert (ack["data"]["idea"]["text"], ack["data"]["idea"]["author"]) == (text, IMG)
        texts.append(text)
    broadcast = [r["args"][0]["idea"] for r in mod.get_received() if r["name"] == "idea_created"]
    assert [(i["text"], i["author"]) for i in broadcast] == [(t, IMG) for t in texts]
    board = mod.emit("join_workshop", {"workshop_id": workshop}, callback=True)["data"]
    assert board["workshop"]["title"] == IMG
    assert [i["text"] for i in board["ideas"]] == texts

    report = _json(world.client.get(f"/api/v1/events/{hostile_event['id']}/report.json",
                                    headers=_auth(world)))
    assert report["event"]["title"] == IMG + BREAKOUT
    ideas = report["workshops"][0]["ideas"]
    assert sorted(i["text"] for i in ideas) == sorted(texts)
    assert {i["author"] for i in ideas} <= {IMG, None}  # the report may withhold names


def test_projector_info_is_verbatim_json(world, hostile_event):
    workshop = hostile_event["workshops"][1]["id"]
    link = _json(world.client.post(f"/api/v1/workshops/{workshop}/viewer-link",
                                   headers=_auth(world)))
    info = _json(world.client.get(f"/projector/{workshop}/info",
                                  headers={"Authorization": f"Bearer {link['token']}"}))
    assert info["event"]["title"] == IMG + BREAKOUT
    assert (info["workshop"]["title"], info["workshop"]["question"]) == (BREAKOUT, ATTRIBUTE)


# ---------------------------------------------------------------------------------------------
# HTML pages
# ---------------------------------------------------------------------------------------------

class _Tags(HTMLParser):
    """Collects the tags of a page with their attributes, and the text of script blocks."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[tuple[dict, str]] = []
        self._in_script: dict | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag == "script":
            self._in_script = attributes
            self.scripts.append((attributes, ""))

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = None

    def handle_data(self, data):
        if self._in_script is not None:
            attributes, text = self.scripts[-1]
            self.scripts[-1] = (attributes, text + data)


def _page_urls(world, event: dict) -> list[str]:
    """Every HTML page route, with its parameters filled from the hostile event."""
    workshop = event["workshops"][0]["id"]
    values = {"int": str(event["id"]), "code": event["join_code"]}
    urls = []
    for rule in world.app.url_map.iter_rules():
        if ("GET" not in rule.methods or rule.rule.startswith("/api/")
                or rule.endpoint.endswith("static")):
            continue
        url = rule.rule
        for converter, name in re.findall(r"<(?:(\w+):)?(\w+)>", rule.rule):
            value = str(workshop) if "workshop" in name else values.get(converter or name,
                                                                            event["join_code"])
            url = re.sub(r"<[^>]*\b" + name + ">", value, url, count=1)
        urls.append(url)
    return [*sorted(set(urls)), f"/join/{event['join_code'].lower()}", "/join/ZZZZZZ",
            "/join/%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E", "/join?code=%3Cimg%20src%3Dx%3E",
            "/?lang=de"]


def _hash_source(text: str) -> str:
    digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
    return f"'sha256-{digest}'"


def _directives(policy: str) -> dict[str, list[str]]:
    parts = (d.strip().split() for d in policy.split(";") if d.strip())
    return {d[0].lower(): d[1:] for d in parts}


def test_every_html_page_is_locked_down(world, hostile_event):
    pages = 0
    for url in _page_urls(world, hostile_event):
        response = world.client.get(url, headers=_auth(world), follow_redirects=True)
        assert response.status_code < 500, (url, response.status_code)
        if response.mimetype != "text/html":
            continue
        pages += 1
        html = response.get_data(as_text=True)
        policy = _directives(response.headers.get("Content-Security-Policy", ""))
        scripts = policy.get("script-src", policy.get("default-src"))
        assert scripts is not None, (url, policy)
        assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts, url
        assert "*" not in scripts and "data:" not in scripts, url
        assert policy.get("object-src") == ["'none'"], url
        assert policy.get("base-uri") == ["'none'"] and policy.get("frame-ancestors") == \
            ["'none'"], url
        assert response.headers["X-Content-Type-Options"] == "nosniff", url
        assert response.headers["X-Frame-Options"] == "DENY", url
        assert response.headers["Referrer-Policy"] == "no-referrer", url

        for payload in (*PAYLOADS, "<script>alert(1)", "<img src=x>", "<svg onload"):
            assert payload not in html, (url, payload)
        parser = _Tags()
        parser.feed(html)
        for tag, attributes in parser.tags:
            events = [name for name in attributes if name.startswith("on")]
            assert not events, (url, tag, events)
            for name in ("href", "src", "action", "formaction"):
                value = (attributes.get(name) or "").strip().lower()
                assert not value.startswith(("javascript:", "data:text/html")), (url, tag)
        for attributes, text in parser.scripts:
            if attributes.get("type") == "application/json":
                assert "<" not in text, (url, "a data block could end the script element")
            elif not attributes.get("src"):
                # Only the texts the page's own policy names by hash (a static file the phone
                # page carries inline, app/pages/inline.py) may run inline.
                assert _hash_source(text) in scripts, (url, "inline script")
            else:
                assert not text.strip(), (url, "a script with src and text")
    assert pages >= 5


def test_the_join_page_escapes_the_event_texts(world, hostile_event):
    response = world.client.get(f"/join/{hostile_event['join_code']}")
    assert response.status_code == 200 and response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert "&lt;img src=x onerror=alert(1)&gt;" in html  # the title, shown as text
    assert "&lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;" in html
    assert "&#34;&gt;&lt;svg onload=alert(3)&gt;&#39;" in html  # the location
    assert IMG not in html and BREAKOUT not in html and ATTRIBUTE not in html
    parser = _Tags()
    parser.feed(html)
    titles = [attributes.get("data-event-title") for _, attributes in parser.tags
              if "data-event-title" in attributes]
    assert titles == [IMG + BREAKOUT]  # intact once the attribute is decoded


def test_scripts_use_no_html_sinks():
    """The browser code puts user text into the page as text (``textContent``), never as
    markup: none of the usual HTML sinks or code-from-string functions appear in it."""
    sinks = re.compile(r"\.innerHTML\b|\.outerHTML\b|insertAdjacentHTML|document\.write|"
                       r"\beval\(|new Function\(|setTimeout\(\s*['\"`]|\.srcdoc\b")
    files = sorted(STATIC_JS.glob("**/*.js"))
    if not files:
        pytest.skip(f"no browser scripts at {STATIC_JS}")
    found = [f"{path.relative_to(STATIC_JS)}:{number}: {line.strip()}"
             for path in files for number, line in enumerate(path.read_text().splitlines(), 1)
             if sinks.search(line)]
    assert found == []


# ---------------------------------------------------------------------------------------------
# Cross-site access
# ---------------------------------------------------------------------------------------------

def test_socketio_refuses_other_origins(world):
    """A page on another site cannot open a Socket.IO connection (python-engineio's same-origin
    default), and the API sends no CORS headers, so other sites cannot read its answers."""
    handshake = "/socket.io/?EIO=4&transport=polling"
    assert world.client.get(handshake, headers={"Origin": "http://localhost"}).status_code == 200
    refused = world.client.get(handshake, headers={"Origin": "https://evil.example"})
    assert refused.status_code == 400
    assert "Access-Control-Allow-Origin" not in refused.headers
    for response in (
        world.client.get("/api/v1/events", headers={"Origin": "https://evil.example",
                                                     **_auth(world)}),
        world.client.options("/api/v1/events", headers={
            "Origin": "https://evil.example", "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization"}),
    ):
        assert "Access-Control-Allow-Origin" not in response.headers
        assert "Access-Control-Allow-Headers" not in response.headers
