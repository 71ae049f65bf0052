"""Who may do what: every role × every HTTP route under /api/v1 and every socket event.

The tables below are the authorisation model in one place. Each cell is its own test: an
allowed call answers its success status, a refused one the contract error and changes nothing
at all in the database (every table compared before and after). Cells allowed to change
something run on a fresh copy of the prepared world (see ``conftest.py``); the others share one
copy per module, which their own before/after comparison keeps honest. The tables must name
every route and every socket event the server registers, so a new one cannot slip in
unreviewed. Below the tables: room isolation, revocation and expiry.

Roles (columns, in this order): anonymous (no token), garbage (a token never issued),
participant of another event, participant of the event who entered no workshop, participant
who entered workshop A, the projector (viewer) of workshop A, the host of workshop A (a host
link: moderator rights for A only), moderator of another event, moderator of the event.
"""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from pinnwand.auth.models import Token
from pinnwand.db import utcnow
from sqlalchemy import update

from tests.http.helpers import assert_error
from tests.security.conftest import ROLES
from tests.security.helpers import ack_code, registered_events

UNKNOWN_ID = 987654
STATUS_CODES = {400: "invalid", 401: "unauthorized", 403: "forbidden", 404: "not_found",
                409: "conflict"}


def _row(expected: str) -> dict[str, str]:
    cells = expected.split()
    assert len(cells) == len(ROLES), expected
    return dict(zip(ROLES, cells, strict=True))


# ---------------------------------------------------------------------------------------------
# HTTP. Path placeholders: {event} {other_event} {A} {B} {X} {agenda_item} {unknown}.
# ---------------------------------------------------------------------------------------------
# endpoint → (method, path, JSON body)
HTTP_ROUTES = {
    "api.openapi_document": ("get", "/api/v1/openapi.json", None),
    "api.create_token": ("post", "/api/v1/auth/token", "login"),
    "api.logout": ("post", "/api/v1/auth/logout", None),
    "api.whoami": ("get", "/api/v1/auth/me", None),
    "api.list_events": ("get", "/api/v1/events", None),
    "api.create_event": ("post", "/api/v1/events",
                         {"title": "Neu", "workshops": [{"title": "W", "question": "?"}]}),
    "api.get_event": ("get", "/api/v1/events/{event}", None),
    "api.update_event": ("patch", "/api/v1/events/{event}", {"title": "Umbenannt"}),
    "api.get_agenda": ("get", "/api/v1/events/{event}/agenda", None),
    "api.add_agenda_item": ("post", "/api/v1/events/{event}/agenda", {"title": "Talk"}),
    "api.update_agenda_item": ("patch", "/api/v1/events/{event}/agenda/{agenda_item}",
                               {"title": "Talk 2"}),
    "api.delete_agenda_item": ("delete", "/api/v1/events/{event}/agenda/{agenda_item}", None),
    "api.list_moderators": ("get", "/api/v1/events/{event}/moderators", None),
    "api.add_moderator": ("post", "/api/v1/events/{event}/moderators",
                          {"email": "other@example.org"}),
    "api.list_workshops": ("get", "/api/v1/events/{event}/workshops", None),
    "api.add_workshop": ("post", "/api/v1/events/{event}/workshops",
                         {"title": "W", "question": "?"}),
    "api.update_workshop": ("patch", "/api/v1/workshops/{A}", {"title": "Neu"}),
    "api.create_viewer_link": ("post", "/api/v1/workshops/{A}/viewer-link", None),
    "api.create_plenary_viewer_link": ("post", "/api/v1/events/{event}/plenary/viewer-link",
                                       None),
    "api.create_host_link": ("post", "/api/v1/workshops/{A}/host-link", {"name": "Tisch"}),
    "api.join": ("post", "/api/v1/join", "join"),
    "api.get_joining": ("get", "/api/v1/events/{event}/joining", None),
    "api.set_joining": ("patch", "/api/v1/events/{event}/joining", {"open": False}),
    "api.replace_join_code": ("post", "/api/v1/events/{event}/joining/new-code", None),
    "api.download_report": ("get", "/api/v1/events/{event}/report.json", None),
    # Not under /api/v1, but token-protected JSON: what a projector shows besides the board.
    "pages.projector_info": ("get", "/projector/{A}/info", None),
    "pages.plenary_projector_info": ("get", "/plenary/{event}/info", None),
    # Reports, publishing and privacy
    "api.preview_report": ("get", "/api/v1/events/{event}/report/preview", None),
    "api.get_report_settings": ("get", "/api/v1/events/{event}/report-settings", None),
    "api.update_report_settings": ("patch", "/api/v1/events/{event}/report-settings",
                                   {"organiser": "Wirtschaftsförderung"}),
    "api.review": ("get", "/api/v1/events/{event}/review", None),
    "api.redact_idea": ("put", "/api/v1/ideas/{unknown}/redaction", {"text": "[gekürzt]"}),
    "api.unredact_idea": ("delete", "/api/v1/ideas/{unknown}/redaction", None),
    "api.get_publication": ("get", "/api/v1/events/{event}/publication", None),
    "api.publish": ("put", "/api/v1/events/{event}/publication", {"authors": False}),
    "api.withdraw": ("delete", "/api/v1/events/{event}/publication", None),
    "api.get_contact": ("get", "/api/v1/contact", None),
    "api.give_consent": ("put", "/api/v1/contact",
                         {"email": "anna@example.org", "send_results": True}),
    "api.withdraw_consent": ("delete", "/api/v1/contact", None),
    "api.list_contacts": ("get", "/api/v1/events/{event}/contacts", None),
    "api.get_privacy": ("get", "/api/v1/events/{event}/privacy", None),
    "api.update_privacy": ("patch", "/api/v1/events/{event}/privacy", {"retention_days": 30}),
    "api.purge_now": ("post", "/api/v1/events/{event}/privacy/purge", None),
    "api.delete_event": ("delete", "/api/v1/events/{event}", None),
    # Sending the results, the next forums' contacts (nothing is published in this world,
    # and no mail server configured: the event's moderator gets 409)
    "api.list_mailings": ("get", "/api/v1/events/{event}/mailings", None),
    "api.create_mailing": ("post", "/api/v1/events/{event}/mailings", {"kind": "results"}),
    "api.preview_mailing": ("post", "/api/v1/events/{event}/mailings/preview", {}),
    "api.get_mailing": ("get", "/api/v1/mailings/{unknown}", None),
    "api.list_subscribers": ("get", "/api/v1/events/{event}/subscribers", None),
    "api.delete_subscriber": ("delete", "/api/v1/subscribers/{unknown}", None),
    # Series and the action register (event 1 is in no series: its actions are managed by
    # its moderators; series are aimed at an unknown id)
    "api.create_series": ("post", "/api/v1/series", {"title": "Reihe"}),
    "api.list_series": ("get", "/api/v1/series", None),
    "api.get_series": ("get", "/api/v1/series/{unknown}", None),
    "api.list_register": ("get", "/api/v1/series/{unknown}/actions", None),
    "api.export_register": ("get", "/api/v1/series/{unknown}/actions.csv", None),
    "api.list_organisations": ("get", "/api/v1/series/{unknown}/organisations", None),
    # No mail server in this world: the moderators are told so (409) before anything is read.
    "api.queue_reminders": ("post", "/api/v1/series/{unknown}/reminders", {}),
    "api.get_action": ("get", "/api/v1/actions/{action_A}", None),
    "api.create_update_link": ("post", "/api/v1/actions/{action_A}/update-link",
                               {"name": "Stadtwerke"}),
    "api.list_update_links": ("get", "/api/v1/actions/{action_A}/update-links", None),
    "api.revoke_update_link": ("delete", "/api/v1/actions/{action_A}/update-links/{unknown}",
                               None),
    "api.add_update": ("post", "/api/v1/actions/{action_A}/updates", {"status": "running"}),
    "api.create_next_forum": ("post", "/api/v1/events/{event}/next-forum",
                              {"title": "Zweites Forum"}),  # event 1 is in no series: 409
}

# endpoint → expected status per role
HTTP_MATRIX = {
    #                           anon gar  p2   pOut pIn  view host m2   mod
    "api.openapi_document":    "200  200  200  200  200  200  200  200  200",
    "api.create_token":        "200  200  200  200  200  200  200  200  200",
    "api.logout":              "401  401  204  204  204  204  204  204  204",
    "api.whoami":              "401  401  200  200  200  200  200  200  200",
    "api.list_events":         "401  401  403  403  403  403  403  200  200",
    "api.create_event":        "401  401  403  403  403  403  403  201  201",
    "api.get_event":           "401  401  403  403  403  403  403  403  200",
    "api.update_event":        "401  401  403  403  403  403  403  403  200",
    "api.get_agenda":          "401  401  403  403  403  403  403  403  200",
    "api.add_agenda_item":     "401  401  403  403  403  403  403  403  201",
    "api.update_agenda_item":  "401  401  403  403  403  403  403  403  200",
    "api.delete_agenda_item":  "401  401  403  403  403  403  403  403  204",
    "api.list_moderators":     "401  401  403  403  403  403  403  403  200",
    "api.add_moderator":       "401  401  403  403  403  403  403  403  201",
    "api.list_workshops":      "401  401  403  200  200  403  403  403  200",
    "api.add_workshop":        "401  401  403  403  403  403  403  403  201",
    "api.update_workshop":     "401  401  403  403  403  403  403  403  200",
    "api.create_viewer_link":  "401  401  403  403  403  403  403  403  201",
    "api.create_plenary_viewer_link": "401  401  403  403  403  403  403  403  201",
    "api.create_host_link":    "401  401  403  403  403  403  403  403  201",
    "api.join":                "200  200  200  200  200  200  200  200  200",
    "api.get_joining":         "401  401  403  403  403  403  403  403  200",
    "api.set_joining":         "401  401  403  403  403  403  403  403  200",
    "api.replace_join_code":   "401  401  403  403  403  403  403  403  200",
    "api.download_report":     "401  401  403  403  403  403  403  403  200",
    "pages.projector_info":    "401  401  403  403  403  200  403  403  200",
    "pages.plenary_projector_info": "401  401  403  403  403  403  403  403  200",
    "api.preview_report":      "401  401  403  403  403  403  403  403  200",
    "api.get_report_settings": "401  401  403  403  403  403  403  403  200",
    "api.update_report_settings": "401  401  403  403  403  403  403  403  200",
    "api.review":              "401  401  403  403  403  403  403  403  200",
    "api.redact_idea":         "401  401  403  403  403  403  403  404  404",
    "api.unredact_idea":       "401  401  403  403  403  403  403  404  404",
    "api.get_publication":     "401  401  403  403  403  403  403  403  200",
    "api.publish":             "401  401  403  403  403  403  403  403  200",
    "api.withdraw":            "401  401  403  403  403  403  403  403  204",
    "api.get_contact":         "401  401  200  200  200  403  403  403  403",
    "api.give_consent":        "401  401  200  200  200  403  403  403  403",
    "api.withdraw_consent":    "401  401  204  204  204  403  403  403  403",
    "api.list_contacts":       "401  401  403  403  403  403  403  403  200",
    "api.get_privacy":         "401  401  403  403  403  403  403  403  200",
    "api.update_privacy":      "401  401  403  403  403  403  403  403  200",
    "api.purge_now":           "401  401  403  403  403  403  403  403  200",
    "api.delete_event":        "401  401  403  403  403  403  403  403  204",
    "api.list_mailings":       "401  401  403  403  403  403  403  403  200",
    "api.create_mailing":      "401  401  403  403  403  403  403  403  409",
    "api.preview_mailing":     "401  401  403  403  403  403  403  403  409",
    "api.get_mailing":         "401  401  403  403  403  403  403  404  404",
    "api.list_subscribers":    "401  401  403  403  403  403  403  403  200",
    "api.delete_subscriber":   "401  401  403  403  403  403  403  404  404",
    "api.create_series":       "401  401  403  403  403  403  403  201  201",
    "api.list_series":         "401  401  403  403  403  403  403  200  200",
    "api.get_series":          "401  401  403  403  403  403  403  404  404",
    "api.list_register":       "401  401  403  403  403  403  403  404  404",
    "api.export_register":     "401  401  403  403  403  403  403  404  404",
    "api.list_organisations":  "401  401  403  403  403  403  403  404  404",
    "api.queue_reminders":     "401  401  403  403  403  403  403  409  409",
    "api.get_action":          "401  401  403  403  403  403  403  403  200",
    "api.create_update_link":  "401  401  403  403  403  403  403  403  201",
    "api.list_update_links":   "401  401  403  403  403  403  403  403  200",
    "api.revoke_update_link":  "401  401  403  403  403  403  403  403  404",
    "api.add_update":          "401  401  403  403  403  403  403  403  201",
    "api.create_next_forum":   "401  401  403  403  403  403  403  403  409",
}

# The same routes aimed at ids that do not exist: 404 only once the caller may ask at all.
UNKNOWN_ROUTES = {
    "get_event": ("get", "/api/v1/events/{unknown}", None),
    "update_event": ("patch", "/api/v1/events/{unknown}", {"title": "x"}),
    "get_agenda": ("get", "/api/v1/events/{unknown}/agenda", None),
    "add_agenda_item": ("post", "/api/v1/events/{unknown}/agenda", {"title": "x"}),
    "update_agenda_item": ("patch", "/api/v1/events/{event}/agenda/{unknown}", {"title": "x"}),
    "delete_agenda_item": ("delete", "/api/v1/events/{event}/agenda/{unknown}", None),
    "list_moderators": ("get", "/api/v1/events/{unknown}/moderators", None),
    "add_moderator": ("post", "/api/v1/events/{unknown}/moderators",
                      {"email": "other@example.org"}),
    "list_workshops": ("get", "/api/v1/events/{unknown}/workshops", None),
    "add_workshop": ("post", "/api/v1/events/{unknown}/workshops", {"title": "W"}),
    "update_workshop": ("patch", "/api/v1/workshops/{unknown}", {"title": "x"}),
    "create_viewer_link": ("post", "/api/v1/workshops/{unknown}/viewer-link", None),
    "create_plenary_viewer_link": ("post", "/api/v1/events/{unknown}/plenary/viewer-link", None),
    "create_host_link": ("post", "/api/v1/workshops/{unknown}/host-link", {"name": "Tisch"}),
    "download_report": ("get", "/api/v1/events/{unknown}/report.json", None),
    "get_joining": ("get", "/api/v1/events/{unknown}/joining", None),
    "set_joining": ("patch", "/api/v1/events/{unknown}/joining", {"open": True}),
    "replace_join_code": ("post", "/api/v1/events/{unknown}/joining/new-code", None),
    "projector_info": ("get", "/projector/{unknown}/info", None),
    "plenary_projector_info": ("get", "/plenary/{unknown}/info", None),
}
UNKNOWN_MATRIX = {
    #                           anon gar  p2   pOut pIn  view host m2   mod
    "get_event":               "401  401  403  403  403  403  403  404  404",
    "update_event":            "401  401  403  403  403  403  403  404  404",
    "get_agenda":              "401  401  403  403  403  403  403  404  404",
    "add_agenda_item":         "401  401  403  403  403  403  403  404  404",
    "update_agenda_item":      "401  401  403  403  403  403  403  403  404",  # event 1 exists
    "delete_agenda_item":      "401  401  403  403  403  403  403  403  404",  # event 1 exists
    "list_moderators":         "401  401  403  403  403  403  403  404  404",
    "add_moderator":           "401  401  403  403  403  403  403  404  404",
    "list_workshops":          "401  401  403  403  403  404  404  404  404",
    "add_workshop":            "401  401  403  403  403  403  403  404  404",
    "update_workshop":         "401  401  403  403  403  403  403  404  404",
    "create_viewer_link":      "401  401  403  403  403  403  403  404  404",
    "create_plenary_viewer_link": "401  401  403  403  403  403  403  404  404",
    "create_host_link":        "401  401  403  403  403  403  403  404  404",
    "download_report":         "401  401  403  403  403  403  403  404  404",
    "get_joining":             "401  401  403  403  403  403  403  404  404",
    "set_joining":             "401  401  403  403  403  403  403  404  404",
    "replace_join_code":       "401  401  403  403  403  403  403  404  404",
    "projector_info":          "401  401  404  404  404  404  404  404  404",
    "plenary_projector_info":  "401  401  404  404  404  404  404  404  404",
}

# ---------------------------------------------------------------------------------------------
# Socket.IO: (event, target) → expected ack per role: "ok", or the error as its HTTP twin
# (400 invalid, 403 forbidden, 404 not_found), "lck" for ``locked`` (423-like: allowed, but not
# in this step or while locked); "--" means the connection itself is refused, so the event
# never reaches a handler.
#
# Targets: "A" (the host's workshop), "B" (another workshop of the event: not the host's),
# "event" ({"event_id"} of event 1: moderators only, never a host), "A-others" (in A, but
# something that is not the caller's own), "A-with-B" (in A, naming an object of B: not_found
# once the caller may ask at all). The prepared world (conftest.py) has both workshops in step
# collect, unlocked, votes secret, clustering by the staff only, Jana's idea, withdrawn idea
# and sign-up in A, clusters, actions, sign-ups and a plenary item (docs/protocol.md,
# "Facilitation (extension)", decides every cell).
# ---------------------------------------------------------------------------------------------
STAFF_A = "--   --   403  403  403  403  ok   403  ok"    # the workshop's staff: moderator, host
STAFF_B = "--   --   403  403  403  403  403  403  ok"    # B: its host link is for A only
EVENT_WIDE = STAFF_B                                     # event_id: the event's moderators only
AUTHOR_A = "--   --   403  403  ok   403  ok   403  ok"   # Jana's own idea, or the staff
CROSS_STAFF = "--   --   403  403  403  403  404  403  404"  # staff of A naming B's object
SOCKET_MATRIX = {
    #                                 anon gar  p2   pOut pIn  view host m2   mod
    ("join_workshop", "A"):          "--   --   403  ok   ok   ok   ok   403  ok",
    ("join_workshop", "B"):          "--   --   403  ok   ok   403  403  403  ok",
    ("join_workshop", "unknown"):    "--   --   404  404  404  404  404  404  404",
    ("leave_workshop", "A"):         "--   --   403  ok   ok   ok   ok   403  ok",
    ("create_idea", "A"):            "--   --   403  403  ok   403  ok   403  ok",
    ("create_idea", "B"):            "--   --   403  403  403  403  403  403  ok",
    ("lock_workshop", "A"):          "--   --   403  403  403  403  ok   403  ok",
    ("watch_event", "event"):        "--   --   403  403  403  403  403  403  ok",
    ("watch_event", "other_event"):  "--   --   403  403  403  403  403  ok   403",
    ("watch_event", "unknown"):      "--   --   404  404  404  404  404  404  404",
    ("no_such_event", "-"):          "--   --   404  404  404  404  404  404  404",
    # Facilitation: steps, settings, categories, revealing, presence (staff)
    ("set_step", "A"): STAFF_A,
    ("set_step", "B"): STAFF_B,
    ("set_step", "event"): EVENT_WIDE,
    ("set_step", "other_event"):     "--   --   403  403  403  403  403  ok   403",
    ("configure_workshop", "A"): STAFF_A,
    ("configure_workshop", "B"): STAFF_B,
    ("set_categories", "A"): STAFF_A,
    ("set_categories", "B"): STAFF_B,
    ("reveal_ideas", "A"): STAFF_A,
    ("reveal_ideas", "B"): STAFF_B,
    ("get_presence", "A"): STAFF_A,
    ("get_presence", "B"): STAFF_B,
    # Ideas: the author in collect, the staff any time; merging is the staff's
    ("update_idea", "A"): AUTHOR_A,
    ("update_idea", "A-others"): STAFF_A,
    ("update_idea", "A-with-B"):     "--   --   403  403  404  403  404  403  404",
    ("update_idea", "B"): STAFF_B,
    ("delete_idea", "A"): AUTHOR_A,
    ("delete_idea", "A-others"): STAFF_A,
    ("delete_idea", "B"): STAFF_B,
    ("restore_idea", "A"): AUTHOR_A,  # Jana's own withdrawn idea
    ("restore_idea", "B"): STAFF_B,
    ("merge_ideas", "A"): STAFF_A,
    ("merge_ideas", "A-with-B"): CROSS_STAFF,
    ("merge_ideas", "B"): STAFF_B,
    # Arranging: the staff (participants only when cluster_by is "everyone": forbidden here)
    ("move_idea", "A"): STAFF_A,
    ("move_idea", "B"): STAFF_B,
    ("group_ideas", "A"): STAFF_A,
    ("group_ideas", "A-with-B"): CROSS_STAFF,
    ("group_ideas", "B"): STAFF_B,
    ("ungroup_idea", "A"): STAFF_A,
    ("ungroup_idea", "B"): STAFF_B,
    ("rename_cluster", "A"): STAFF_A,
    ("rename_cluster", "A-with-B"): CROSS_STAFF,
    ("rename_cluster", "B"): STAFF_B,
    # Dot voting: participants who joined, in step vote (locked in collect); never the staff
    ("vote", "A"):                   "--   --   403  403  lck  403  403  403  403",
    ("vote", "B"):                   "--   --   403  403  403  403  403  403  403",
    ("reveal_votes", "A"): STAFF_A,
    ("reveal_votes", "B"): STAFF_B,
    # Review verdicts: participants who joined and the event's moderators (never a host), in
    # step review (locked in collect; the world's event belongs to no series)
    ("review_action", "A"):          "--   --   403  403  lck  403  403  403  lck",
    ("review_action", "B"):          "--   --   403  403  403  403  403  403  lck",
    ("reveal_reviews", "A"): STAFF_A,
    ("reveal_reviews", "B"): STAFF_B,
    # Actions: the staff in any step; sign-ups by participants in step act (locked in collect)
    ("save_action", "A"): STAFF_A,
    ("save_action", "B"): STAFF_B,
    ("delete_action", "A"): STAFF_A,
    ("delete_action", "A-with-B"): CROSS_STAFF,
    ("delete_action", "B"): STAFF_B,
    ("restore_action", "A"): STAFF_A,
    ("restore_action", "B"): STAFF_B,
    # Staff sign up someone by name; without one the request is incomplete (invalid).
    ("sign_up", "A"):                "--   --   403  403  lck  403  400  403  400",
    ("sign_up", "A-others"): STAFF_A,  # with "name": someone else, the staff's only
    ("sign_up", "B"): STAFF_B,         # with "name"
    ("withdraw_sign_up", "A"):       "--   --   403  403  lck  403  ok   403  ok",  # Jana's own
    ("withdraw_sign_up", "A-others"): STAFF_A,  # someone else's sign-up: never Jana's to withdraw
    ("withdraw_sign_up", "B"): STAFF_B,
    # A later forum's decisions (the world has no series, both workshops collect): the staff
    # are told the step is wrong; taking in an activity needs a "running" board (409).
    ("carry_action", "A"):           "--   --   403  403  403  403  lck  403  lck",
    ("carry_action", "B"):           "--   --   403  403  403  403  403  403  lck",
    ("drop_action", "A"):            "--   --   403  403  403  403  lck  403  lck",
    ("take_running", "A"):           "--   --   403  403  403  403  409  403  409",
    # Timers and messages: the staff for one workshop, the event's moderators for all
    ("set_timer", "A"): STAFF_A,
    ("set_timer", "B"): STAFF_B,
    ("set_timer", "event"): EVENT_WIDE,
    ("send_message", "A"): STAFF_A,
    ("send_message", "B"): STAFF_B,
    ("send_message", "event"): EVENT_WIDE,
    ("withdraw_message", "A"): STAFF_A,
    ("withdraw_message", "A-with-B"): CROSS_STAFF,
    ("withdraw_message", "B"): STAFF_B,
    # Plenary (one per event): read by its participants and moderators, run by its moderators,
    # voted on by its participants while voting (locked until then)
    ("join_plenary", "event"):       "--   --   403  ok   ok   403  ok   403  ok",
    ("join_plenary", "other_event"): "--   --   ok   403  403  403  403  ok   403",
    ("join_plenary", "unknown"):     "--   --   404  404  404  404  404  404  404",
    ("plenary_add", "event"): EVENT_WIDE,
    ("plenary_add", "event-with-X"): "--   --   403  403  403  403  403  403  404",
    # workshop A has been past the vote step with secret, unrevealed votes: no ranking yet
    ("plenary_pull_top", "event"):   "--   --   403  403  403  403  403  403  409",
    ("plenary_remove", "event"): EVENT_WIDE,
    ("configure_plenary", "event"): EVENT_WIDE,
    ("plenary_vote", "event"):       "--   --   403  lck  lck  403  403  403  403",
}
SOCKET_PAYLOADS = {
    ("join_workshop", "A"): {"workshop_id": "{A}"},
    ("join_workshop", "B"): {"workshop_id": "{B}"},
    ("join_workshop", "unknown"): {"workshop_id": "{unknown}"},
    ("leave_workshop", "A"): {"workshop_id": "{A}"},
    ("create_idea", "A"): {"workshop_id": "{A}", "op_id": "matrix-op-0001", "text": "Idee"},
    ("create_idea", "B"): {"workshop_id": "{B}", "op_id": "matrix-op-0002", "text": "Idee"},
    ("lock_workshop", "A"): {"workshop_id": "{A}", "locked": True},
    ("watch_event", "event"): {"event_id": "{event}"},
    ("watch_event", "other_event"): {"event_id": "{other_event}"},
    ("watch_event", "unknown"): {"event_id": "{unknown}"},
    ("no_such_event", "-"): {"workshop_id": "{A}"},
    ("set_step", "A"): {"workshop_id": "{A}", "step": "cluster"},
    ("set_step", "B"): {"workshop_id": "{B}", "step": "cluster"},
    ("set_step", "event"): {"event_id": "{event}", "step": "vote"},
    ("set_step", "other_event"): {"event_id": "{other_event}", "step": "vote"},
    ("configure_workshop", "A"): {"workshop_id": "{A}", "vote_budget": 5,
                                  "private_writing": True},
    ("configure_workshop", "B"): {"workshop_id": "{B}", "cluster_by": "everyone"},
    ("set_categories", "A"): {"workshop_id": "{A}", "categories": [{"title": "Halten"},
                                                                   {"title": "Gewinnen"}]},
    ("set_categories", "B"): {"workshop_id": "{B}", "categories": [{"title": "Ausbilden"}]},
    ("reveal_ideas", "A"): {"workshop_id": "{A}"},
    ("reveal_ideas", "B"): {"workshop_id": "{B}"},
    ("get_presence", "A"): {"workshop_id": "{A}"},
    ("get_presence", "B"): {"workshop_id": "{B}"},
    ("update_idea", "A"): {"workshop_id": "{A}", "idea_id": "{idea_A}", "text": "Neu"},
    ("update_idea", "A-others"): {"workshop_id": "{A}", "idea_id": "{idea_A_staff}",
                                  "text": "Neu"},
    ("update_idea", "A-with-B"): {"workshop_id": "{A}", "idea_id": "{idea_B}", "text": "Neu"},
    ("update_idea", "B"): {"workshop_id": "{B}", "idea_id": "{idea_B}", "anonymous": True},
    ("delete_idea", "A"): {"workshop_id": "{A}", "idea_id": "{idea_A}"},
    ("delete_idea", "A-others"): {"workshop_id": "{A}", "idea_id": "{idea_A_staff}"},
    ("delete_idea", "B"): {"workshop_id": "{B}", "idea_id": "{idea_B}"},
    ("restore_idea", "A"): {"workshop_id": "{A}", "idea_id": "{idea_A_withdrawn}"},
    ("restore_idea", "B"): {"workshop_id": "{B}", "idea_id": "{idea_B_deleted}"},
    ("merge_ideas", "A"): {"workshop_id": "{A}", "idea_id": "{idea_A}",
                           "into_id": "{idea_A_staff}"},
    ("merge_ideas", "A-with-B"): {"workshop_id": "{A}", "idea_id": "{idea_A}",
                                  "into_id": "{idea_B}"},
    ("merge_ideas", "B"): {"workshop_id": "{B}", "idea_id": "{idea_B}",
                           "into_id": "{idea_B_grouped}"},
    ("move_idea", "A"): {"workshop_id": "{A}", "idea_id": "{idea_A}",
                         "after_id": "{idea_A_staff}"},
    ("move_idea", "B"): {"workshop_id": "{B}", "idea_id": "{idea_B}",
                         "after_id": "{idea_B_grouped}"},
    ("group_ideas", "A"): {"workshop_id": "{A}", "idea_ids": ["{idea_A}", "{idea_A_staff}"],
                           "title": "Neu"},
    ("group_ideas", "A-with-B"): {"workshop_id": "{A}", "idea_ids": ["{idea_B}"]},
    ("group_ideas", "B"): {"workshop_id": "{B}", "idea_ids": ["{idea_B}"],
                           "cluster_id": "{cluster_B}"},
    ("ungroup_idea", "A"): {"workshop_id": "{A}", "idea_id": "{idea_A_grouped}"},
    ("ungroup_idea", "B"): {"workshop_id": "{B}", "idea_id": "{idea_B_grouped}"},
    ("rename_cluster", "A"): {"workshop_id": "{A}", "cluster_id": "{cluster_A}",
                              "title": "Umbenannt"},
    ("rename_cluster", "A-with-B"): {"workshop_id": "{A}", "cluster_id": "{cluster_B}",
                                     "title": "Umbenannt"},
    ("rename_cluster", "B"): {"workshop_id": "{B}", "cluster_id": "{cluster_B}",
                              "title": "Umbenannt"},
    ("vote", "A"): {"workshop_id": "{A}", "target_type": "idea", "target_id": "{idea_A_staff}",
                    "count": 1},
    ("vote", "B"): {"workshop_id": "{B}", "target_type": "cluster", "target_id": "{cluster_B}",
                    "count": 1},
    ("reveal_votes", "A"): {"workshop_id": "{A}"},
    ("reveal_votes", "B"): {"workshop_id": "{B}"},
    ("review_action", "A"): {"workshop_id": "{A}", "action_id": "{action_A}",
                             "verdict": "worked"},
    ("review_action", "B"): {"workshop_id": "{B}", "action_id": "{action_B}",
                             "verdict": "unsure", "comment": "Zu früh"},
    ("reveal_reviews", "A"): {"workshop_id": "{A}"},
    ("reveal_reviews", "B"): {"workshop_id": "{B}"},
    ("save_action", "A"): {"workshop_id": "{A}", "op_id": "matrix-action-0001",
                           "title": "Neue Aktion", "due": "2026-12-01",
                           "idea_ids": ["{idea_A}"]},
    ("save_action", "B"): {"workshop_id": "{B}", "op_id": "matrix-action-0002",
                           "action_id": "{action_B}", "title": "Umbenannt"},
    ("delete_action", "A"): {"workshop_id": "{A}", "action_id": "{action_A}"},
    ("delete_action", "A-with-B"): {"workshop_id": "{A}", "action_id": "{action_B}"},
    ("delete_action", "B"): {"workshop_id": "{B}", "action_id": "{action_B}"},
    ("restore_action", "A"): {"workshop_id": "{A}", "action_id": "{action_A_deleted}"},
    ("restore_action", "B"): {"workshop_id": "{B}", "action_id": "{action_B_deleted}"},
    ("sign_up", "A"): {"workshop_id": "{A}", "action_id": "{action_A}", "brings": "Tee"},
    ("sign_up", "A-others"): {"workshop_id": "{A}", "action_id": "{action_A}",
                              "name": "Gast", "brings": "Tee"},
    ("sign_up", "B"): {"workshop_id": "{B}", "action_id": "{action_B}", "name": "Gast"},
    ("withdraw_sign_up", "A"): {"workshop_id": "{A}", "action_id": "{action_A}",
                                "contributor_id": "{contributor_A_jana}"},
    ("withdraw_sign_up", "A-others"): {"workshop_id": "{A}", "action_id": "{action_A}",
                                       "contributor_id": "{contributor_A}"},
    ("withdraw_sign_up", "B"): {"workshop_id": "{B}", "action_id": "{action_B}",
                                "contributor_id": "{contributor_B}"},
    ("carry_action", "A"): {"workshop_id": "{A}", "op_id": "matrix-carry-0001",
                            "action_id": "{action_A}", "due": "2027-01-31"},
    ("carry_action", "B"): {"workshop_id": "{B}", "op_id": "matrix-carry-0002",
                            "action_id": "{action_B}"},
    ("drop_action", "A"): {"workshop_id": "{A}", "op_id": "matrix-drop-0001",
                           "action_id": "{action_A}", "reason": "Nicht mehr nötig"},
    ("take_running", "A"): {"workshop_id": "{A}", "op_id": "matrix-running-0001",
                            "idea_id": "{idea_A}", "organisation": "IHK"},
    ("set_timer", "A"): {"workshop_id": "{A}", "command": "start", "seconds": 7200},
    ("set_timer", "B"): {"workshop_id": "{B}", "command": "start", "seconds": 7200,
                         "lock_at_end": True},
    ("set_timer", "event"): {"event_id": "{event}", "command": "start", "seconds": 7200},
    ("send_message", "A"): {"workshop_id": "{A}", "text": "Noch 5 Minuten"},
    ("send_message", "B"): {"workshop_id": "{B}", "text": "Noch 5 Minuten"},
    ("send_message", "event"): {"event_id": "{event}", "text": "Kaffeepause"},
    ("withdraw_message", "A"): {"workshop_id": "{A}", "message_id": "{message_A}"},
    ("withdraw_message", "A-with-B"): {"workshop_id": "{A}", "message_id": "{message_B}"},
    ("withdraw_message", "B"): {"workshop_id": "{B}", "message_id": "{message_B}"},
    ("join_plenary", "event"): {"event_id": "{event}"},
    ("join_plenary", "other_event"): {"event_id": "{other_event}"},
    ("join_plenary", "unknown"): {"event_id": "{unknown}"},
    ("plenary_add", "event"): {"event_id": "{event}",
                               "items": [{"workshop_id": "{B}", "cluster_id": "{cluster_B}"}]},
    ("plenary_add", "event-with-X"): {"event_id": "{event}",
                                      "items": [{"workshop_id": "{X}", "idea_id": "{idea_X}"}]},
    ("plenary_pull_top", "event"): {"event_id": "{event}", "per_workshop": 2},
    ("plenary_remove", "event"): {"event_id": "{event}", "item_id": "{plenary_item}"},
    ("configure_plenary", "event"): {"event_id": "{event}", "open": True, "vote_budget": 5},
    ("plenary_vote", "event"): {"event_id": "{event}", "item_id": "{plenary_item}",
                                "count": 1},
}
ACK_CODES = {"ok": "ok", "400": "invalid", "403": "forbidden", "404": "not_found",
             "409": "conflict", "lck": "locked", "--": "refused"}


def _fill(value, world):
    """Replace ``"{name}"`` placeholders in a path or payload with the world's ids."""
    ids = {**world.ids, "unknown": UNKNOWN_ID}
    if isinstance(value, dict):
        return {key: _fill(item, world) for key, item in value.items()}
    if isinstance(value, list):
        return [_fill(item, world) for item in value]
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return ids[value[1:-1]]
    if isinstance(value, str):
        return value.format(**ids)
    return value


def _body(body, world):
    if body == "login":
        return {"email": world.emails["moderator"], "password": "correct horse battery"}
    if body == "join":
        return {"code": world.join_codes["event"], "name": "Neu Hier"}
    return _fill(body, world)


def _call(world, route, role):
    method, path, body = route
    kwargs = {"headers": world.headers(role)}
    if body is not None:
        kwargs["json"] = _body(body, world)
    return getattr(world.client, method)(_fill(path, world), **kwargs)


@pytest.fixture
def cell_world(request):
    """The world a cell runs in: its own fresh copy when the cell is allowed to change
    something, else the module's shared one (each such cell checks it changed nothing)."""
    opened = []

    def pick(changes: bool):
        world = request.getfixturevalue("world" if changes else "shared_world")
        opened.append(world)
        return world

    yield pick
    for world in opened:
        world.close_sockets()


def _check_http_cell(cell_world, route, role, expected: int):
    changes = expected < 400 and route[0] != "get"
    world = cell_world(changes)
    before = None if changes else world.dump()
    response = _call(world, route, role)
    if expected >= 400:
        assert_error(response, STATUS_CODES[expected])
    else:
        assert response.status_code == expected, (response.status_code, response.data[:300])
    if not changes:
        assert world.dump() == before, "the call changed the database"


assert set(HTTP_ROUTES) == set(HTTP_MATRIX) and set(UNKNOWN_ROUTES) == set(UNKNOWN_MATRIX)
assert set(SOCKET_PAYLOADS) == set(SOCKET_MATRIX)
HTTP_CELLS = [(endpoint, role) for endpoint in HTTP_MATRIX for role in ROLES]
UNKNOWN_CELLS = [(name, role) for name in UNKNOWN_MATRIX for role in ROLES]
SOCKET_CELLS = [(key, role) for key in SOCKET_MATRIX for role in ROLES]


@pytest.mark.parametrize(("endpoint", "role"), HTTP_CELLS,
                         ids=[f"{e}-{r}" for e, r in HTTP_CELLS])
def test_http_cell(cell_world, endpoint, role):
    expected = int(_row(HTTP_MATRIX[endpoint])[role])
    _check_http_cell(cell_world, HTTP_ROUTES[endpoint], role, expected)


@pytest.mark.parametrize(("name", "role"), UNKNOWN_CELLS,
                         ids=[f"{n}-{r}" for n, r in UNKNOWN_CELLS])
def test_http_cell_with_unknown_ids(cell_world, name, role):
    _check_http_cell(cell_world, UNKNOWN_ROUTES[name], role, int(_row(UNKNOWN_MATRIX[name])[role]))


def test_http_matrix_names_every_api_route(world):
    """A new route under /api/v1 must get a row in the matrix (and a reviewed expectation)."""
    api = {rule.endpoint for rule in world.app.url_map.iter_rules()
           if rule.rule.startswith("/api/v1/")}
    assert api == {e for e in HTTP_MATRIX if e.startswith("api.")}
    endpoints = {rule.endpoint for rule in world.app.url_map.iter_rules()}
    assert set(HTTP_MATRIX) <= endpoints


@pytest.mark.parametrize(("key", "role"), SOCKET_CELLS,
                         ids=[f"{k[0]}:{k[1]}-{r}" for k, r in SOCKET_CELLS])
def test_socket_cell(cell_world, key, role):
    name, _target = key
    payload, expected = SOCKET_PAYLOADS[key], ACK_CODES[_row(SOCKET_MATRIX[key])[role]]
    world = cell_world(expected == "ok")
    connections = world.app.extensions["pinnwand"].realtime.connection_count()
    tc = world.socket(role)
    if expected == "refused":
        assert not tc.is_connected()
        assert tc.connect_error["message"].startswith("unauthorized:"), tc.connect_error
        assert world.app.extensions["pinnwand"].realtime.connection_count() == connections
        return
    assert tc.is_connected()
    before = world.dump()
    ack = tc.emit(name, _fill(payload, world), callback=True)
    assert ack_code(ack) == expected, ack
    assert tc.is_connected()
    if expected != "ok":
        assert world.dump() == before, "a refused event changed the database"


def test_socket_matrix_names_every_registered_event(world):
    """A new socket event must get rows in the matrix."""
    handlers = world.app.extensions["socketio"].server.handlers["/"]
    registered = set(registered_events()) - {"connect", "disconnect"}
    assert registered == set(handlers) - {"connect", "disconnect", "*"}
    assert registered == {name for name, _ in SOCKET_MATRIX} - {"no_such_event"}
    assert "*" in handlers, "unknown events need a catch-all that answers not_found"


def test_allowed_socket_calls_make_exactly_their_change(world):
    a = world.ids["A"]
    mod, anna = world.socket("moderator"), world.socket("participant_joined")
    seq, ideas, locked = world.board(a)
    ack = anna.emit("create_idea", {"workshop_id": a, "op_id": "allowed-0001", "text": "Idee"},
                    callback=True)
    assert ack_code(ack) == "ok" and ack["data"]["seq"] == seq + 1
    assert world.board(a) == (seq + 1, ideas + 1, locked)
    ack = mod.emit("lock_workshop", {"workshop_id": a, "locked": True}, callback=True)
    assert ack_code(ack) == "ok" and ack["data"] == {"locked": True, "seq": seq + 2}
    assert world.board(a) == (seq + 2, ideas + 1, True)


# ---------------------------------------------------------------------------------------------
# Rooms: nobody receives anything from a workshop or event they do not belong to.
# ---------------------------------------------------------------------------------------------

def _wait_for(tc, predicate, timeout: float = 3.0) -> list[dict]:
    """Collect what ``tc`` receives until ``predicate(received)`` holds (stats are coalesced
    for 0.25 s in a background task)."""
    received: list[dict] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        received += tc.get_received()
        if predicate(received):
            return received
        time.sleep(0.02)
    raise AssertionError(f"timed out; received {received!r}")


def _names(received) -> list[str]:
    return [r["name"] for r in received]


def _stats_of(received, event_id: int) -> list[dict]:
    return [r["args"][0] for r in received
            if r["name"] == "workshop_stats" and r["args"][0]["event_id"] == event_id]


def _ok(ack) -> dict:
    assert ack_code(ack) == "ok", ack
    return ack["data"]


def _post_idea(tc, workshop_id: int, op: str, text: str = "Eine Idee") -> dict:
    return _ok(tc.emit("create_idea", {"workshop_id": workshop_id, "op_id": op, "text": text},
                       callback=True))


def _activity_in_event_1(world, mod, anna, label: str) -> None:
    """Ideas, a lock and a rename in both workshops of event 1."""
    a, b = world.ids["A"], world.ids["B"]
    for workshop in (a, b):
        _ok(mod.emit("join_workshop", {"workshop_id": workshop}, callback=True))
        _post_idea(mod, workshop, f"{label}-mod-{workshop}")
        _ok(mod.emit("lock_workshop", {"workshop_id": workshop, "locked": True}, callback=True))
        _ok(mod.emit("lock_workshop", {"workshop_id": workshop, "locked": False}, callback=True))
        response = world.client.patch(f"/api/v1/workshops/{workshop}",
                                      headers=world.headers("moderator"),
                                      json={"title": f"{label} {workshop}"})
        assert response.status_code == 200, response.json
    _post_idea(anna, a, f"{label}-anna-op")


def test_viewer_of_a_receives_nothing_of_b(world):
    a, b = world.ids["A"], world.ids["B"]
    viewer, mod = world.socket("viewer"), world.socket("moderator")
    _ok(viewer.emit("join_workshop", {"workshop_id": a}, callback=True))
    assert ack_code(viewer.emit("join_workshop", {"workshop_id": b}, callback=True)) == \
        "forbidden"
    assert ack_code(viewer.emit("watch_event", {"event_id": world.ids["event"]},
                                 callback=True)) == "forbidden"
    viewer.get_received()
    _ok(mod.emit("join_workshop", {"workshop_id": b}, callback=True))
    _post_idea(mod, b, "only-for-b-1")
    _ok(mod.emit("lock_workshop", {"workshop_id": b, "locked": True}, callback=True))
    assert world.client.patch(f"/api/v1/workshops/{b}", headers=world.headers("moderator"),
                              json={"question": "Geheim?"}).status_code == 200
    time.sleep(0.35)  # any workshop_stats would have been sent by now
    assert viewer.get_received() == []
    # Positive control: the viewer does hear its own workshop.
    idea = _post_idea(mod, a, "for-a-0001")
    received = _wait_for(viewer, lambda r: "idea_created" in _names(r))
    assert [r["args"][0]["workshop_id"] for r in received] == [a]
    assert received[0]["args"][0]["seq"] == idea["seq"]


def test_participant_of_event_2_receives_nothing_of_event_1(world):
    x = world.ids["X"]
    olga = world.socket("participant_other_event")
    mod, anna = world.socket("moderator"), world.socket("participant_joined")
    other_mod = world.socket("moderator_other_event")
    _ok(olga.emit("join_workshop", {"workshop_id": x}, callback=True))
    for name, payload in (("join_workshop", {"workshop_id": world.ids["A"]}),
                          ("watch_event", {"event_id": world.ids["event"]})):
        assert ack_code(olga.emit(name, payload, callback=True)) == "forbidden"
    _ok(anna.emit("join_workshop", {"workshop_id": world.ids["A"]}, callback=True))
    olga.get_received()
    _activity_in_event_1(world, mod, anna, "e1")
    time.sleep(0.35)
    assert olga.get_received() == []
    # Positive control: Olga hears her own workshop.
    _post_idea(other_mod, x, "for-x-0001")
    received = _wait_for(olga, lambda r: "idea_created" in _names(r))
    assert {r["args"][0]["workshop_id"] for r in received} == {x}


def test_moderators_get_workshop_stats_of_their_own_events_only(world):
    event1, event2 = world.ids["event"], world.ids["other_event"]
    mod, other_mod = world.socket("moderator"), world.socket("moderator_other_event")
    anna, olga = world.socket("participant_joined"), world.socket("participant_other_event")
    _ok(mod.emit("watch_event", {"event_id": event1}, callback=True))
    _ok(other_mod.emit("watch_event", {"event_id": event2}, callback=True))
    assert ack_code(other_mod.emit("watch_event", {"event_id": event1}, callback=True)) == \
        "forbidden"
    assert ack_code(mod.emit("watch_event", {"event_id": event2}, callback=True)) == \
        "forbidden"
    mod.get_received()
    other_mod.get_received()

    # Activity in event 2 only: its moderator hears the figures, event 1's moderator nothing.
    _ok(olga.emit("join_workshop", {"workshop_id": world.ids["X"]}, callback=True))
    _post_idea(olga, world.ids["X"], "olga-0001")
    received = _wait_for(other_mod, lambda r: _stats_of(r, event2))
    assert _stats_of(received, event1) == []
    time.sleep(0.05)
    assert mod.get_received() == []

    # And the other way round.
    _ok(anna.emit("join_workshop", {"workshop_id": world.ids["A"]}, callback=True))
    _post_idea(anna, world.ids["A"], "anna-0001")
    received = _wait_for(mod, lambda r: _stats_of(r, event1))
    assert _stats_of(received, event2) == []
    assert all(r["name"] in ("workshop_stats", "presence") for r in received), _names(received)
    assert {r["args"][0]["workshop_id"] for r in received} <= {world.ids["A"], world.ids["B"]}
    time.sleep(0.05)
    assert [r for r in other_mod.get_received() if r["name"] in ("workshop_stats", "presence")
            and r["args"][0]["workshop_id"] in (world.ids["A"], world.ids["B"])] == []


def test_forbidden_socket_events_leave_no_room_membership(world):
    """A refused ``join_workshop`` must not put the socket into the room anyway."""
    m2 = world.socket("moderator_other_event")
    mod = world.socket("moderator")
    assert ack_code(m2.emit("join_workshop", {"workshop_id": world.ids["A"]},
                             callback=True)) == "forbidden"
    m2.get_received()
    _post_idea(mod, world.ids["A"], "after-refusal")
    time.sleep(0.35)
    assert m2.get_received() == []


def test_leaving_a_workshop_stops_its_broadcasts(world):
    anna, mod = world.socket("participant_joined"), world.socket("moderator")
    a = world.ids["A"]
    _ok(anna.emit("join_workshop", {"workshop_id": a}, callback=True))
    assert _ok(anna.emit("leave_workshop", {"workshop_id": a}, callback=True)) == {}
    anna.get_received()
    _post_idea(mod, a, "after-leave")
    assert anna.get_received() == []


# ---------------------------------------------------------------------------------------------
# Revocation and expiry
# ---------------------------------------------------------------------------------------------

REVOCABLE = ["moderator", "participant_joined", "viewer"]


@pytest.mark.parametrize("role", REVOCABLE)
def test_logout_revokes_the_token_for_http_and_sockets(world, role):
    headers = world.headers(role)
    assert world.client.get("/api/v1/auth/me", headers=headers).status_code == 200
    assert world.socket(role).is_connected()
    assert world.client.post("/api/v1/auth/logout", headers=headers).status_code == 204
    assert_error(world.client.get("/api/v1/auth/me", headers=headers), "unauthorized")
    assert_error(world.client.post("/api/v1/auth/logout", headers=headers), "unauthorized")
    tc = world.socket(role)
    assert not tc.is_connected()


def test_logout_revokes_only_that_token(world):
    second = world.client.post("/api/v1/auth/token", json={
        "email": world.emails["moderator"], "password": "correct horse battery"}).json["token"]
    assert world.client.post("/api/v1/auth/logout",
                             headers=world.headers("moderator")).status_code == 204
    assert world.client.get("/api/v1/events",
                            headers={"Authorization": f"Bearer {second}"}).status_code == 200
    assert world.socket_with(second).is_connected()
    assert world.socket("participant_joined").is_connected()


@pytest.mark.parametrize("role", REVOCABLE)
def test_expired_tokens_are_refused(world, role):
    with world.app.extensions["pinnwand"].db.transaction() as session:
        session.execute(update(Token).values(expires_at=utcnow() - timedelta(seconds=1)))
    assert_error(world.client.get("/api/v1/auth/me", headers=world.headers(role)),
                 "unauthorized")
    assert not world.socket(role).is_connected()


def test_logout_closes_live_sockets_of_the_token(world):
    tc = world.socket("participant_joined")
    others = [world.socket(role) for role in ("viewer", "host", "moderator")]
    assert world.client.post("/api/v1/auth/logout",
                             headers=world.headers("participant_joined")).status_code == 204
    assert not tc.is_connected()
    assert all(other.is_connected() for other in others)  # other tokens' sockets stay


@pytest.mark.parametrize("role", ["viewer", "host", "moderator"])
def test_withdrawing_a_link_or_signing_out_closes_its_sockets(world, role):
    tc = world.socket(role)
    bystander = world.socket("participant_joined")
    assert world.client.post("/api/v1/auth/logout",
                             headers=world.headers(role)).status_code == 204
    assert not tc.is_connected()
    assert bystander.is_connected()
