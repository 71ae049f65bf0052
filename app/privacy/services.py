"""Contact addresses with consent, deleting personal data after an event, deleting an event
with everything in it; plain functions on a Session (no Flask), the caller commits once.

What counts as personal data here: participants' names (on the participant, on their ideas,
on their sign-ups for actions, in the board's change log, in remembered socket answers, in a
published snapshot) and contact e-mail addresses. What stays after the purge: the anonymous
results – ideas, clusters, votes, actions, counts – and what the staff wrote: names typed in
as contributors, hosts' names (host links, messages), moderators' names. Requests to hear about
the next forums (:mod:`pinnwand.privacy.subscribers`) are not the event's participants' data:
they stay until withdrawn (or the event is deleted).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from pinnwand.actions.models import Action, Contributor
from pinnwand.auth.identity import HOST, VIEWER, Identity
from pinnwand.auth.models import Token
from pinnwand.board.models import Operation, WorkshopChange
from pinnwand.board.names import ACTION_SAVED
from pinnwand.db import isoformat, utcnow
from pinnwand.errors import Invalid, NotFound
from pinnwand.events.models import Event, Participant, event_moderators
from pinnwand.ideas.models import Idea
from pinnwand.mail.models import FAILED, QUEUED, SENDING, Mailing, OutboxMessage
from pinnwand.privacy.models import Contact, EventPrivacy
from pinnwand.reports.archive import strip_authors
from pinnwand.reports.models import Publication
from pinnwand.reports.published import discard_files
from pinnwand.reports.reader import contributor_label
from pinnwand.workshops.models import Workshop, WorkshopMember
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

MAX_RETENTION_DAYS = 3650
_EMAIL = re.compile(r"^[^\s@<>()\[\],;:\"]+@[^\s@<>()\[\],;:\"]+\.[^\s@<>()\[\],;:\"]{2,}$")

# The consent a participant gives, word for word; stored with the address. The contact page
# shows exactly these sentences (app/privacy/pages.py), so what is stored is what was shown.
CONSENT = {
    "en": {
        "sentence": "I agree that the organisers of “{event}” store my e-mail address in "
                    "order to {purposes}. I can withdraw this consent at any time on this "
                    "page; my address is then deleted at once. It is deleted at the latest "
                    "when the event's personal data is deleted.",
        "send_results": "send me the results",
        "follow_up": "invite me to follow-up meetings",
        "and": " and ",
    },
    "de": {
        "sentence": "Ich willige ein, dass die Veranstalter von „{event}“ meine "
                    "E-Mail-Adresse speichern, um {purposes}. Ich kann diese Einwilligung "
                    "jederzeit auf dieser Seite widerrufen; meine Adresse wird dann sofort "
                    "gelöscht. Spätestens wenn die personenbezogenen Daten der Veranstaltung "
                    "gelöscht werden, wird sie ebenfalls gelöscht.",
        "send_results": "mir die Ergebnisse zu schicken",
        "follow_up": "mich zu Folgetreffen einzuladen",
        "and": " und ",
    },
}


# --------------------------------------------------------------------------- contacts


def consent_text(lang: str, event_title: str, send_results: bool, follow_up: bool) -> str:
    """The consent sentence for these purposes, in ``lang`` (``de`` or ``en``)."""
    words = CONSENT[lang]
    purposes = [words[key] for key, chosen in (("send_results", send_results),
                                                ("follow_up", follow_up)) if chosen]
    return words["sentence"].format(event=event_title, purposes=words["and"].join(purposes))


def normalise_email(raw: str) -> str:
    """A plausible e-mail address, trimmed, or :class:`Invalid`."""
    email = raw.strip()
    if len(email) > 254 or not _EMAIL.match(email):
        raise Invalid("That is not an e-mail address.", {"email": "not an e-mail address"})
    return email


def give_consent(session: Session, participant_id: int, *, email: str, send_results: bool,
                 follow_up: bool, lang: str) -> Contact:
    """Store a participant's address with their consent (replacing an earlier one).

    Without at least one purpose there is no consent, and nothing is stored."""
    if not (send_results or follow_up):
        message = "Choose what we may use the address for."
        raise Invalid(message, {"send_results": "choose at least one purpose",
                                "follow_up": "choose at least one purpose"})
    participant = session.get(Participant, participant_id)
    if participant is None:
        raise NotFound("There is no such participant.")
    event = session.get(Event, participant.event_id)
    contact = session.scalar(select(Contact).where(Contact.participant_id == participant_id))
    if contact is None:
        contact = Contact(participant_id=participant_id, event_id=participant.event_id)
        session.add(contact)
    contact.email = normalise_email(email)
    contact.send_results, contact.follow_up = send_results, follow_up
    contact.consent_lang = lang
    contact.consent_text = consent_text(lang, event.title, send_results, follow_up)
    contact.consented_at = utcnow()
    session.flush()
    return contact


def contact_of(session: Session, participant_id: int) -> Contact | None:
    """The participant's stored address, if they gave one."""
    return session.scalar(select(Contact).where(Contact.participant_id == participant_id))


def withdraw_consent(session: Session, participant_id: int) -> bool:
    """Delete the participant's address and consent; whether there was one."""
    result = session.execute(delete(Contact).where(Contact.participant_id == participant_id))
    return bool(result.rowcount)


def contacts_of_event(session: Session, event_id: int) -> list[tuple[Contact, str]]:
    """The event's stored addresses with the participant's name, oldest consent first."""
    query = (select(Contact, Participant.name)
             .join(Participant, Participant.id == Contact.participant_id)
             .where(Contact.event_id == event_id)
             .order_by(Contact.consented_at, Contact.id))
    return [(contact, name) for contact, name in session.execute(query)]


def contact_json(contact: Contact, name: str | None = None) -> dict:
    """A stored address as the API shows it."""
    data = {
        "email": contact.email,
        "send_results": contact.send_results,
        "follow_up": contact.follow_up,
        "consent_text": contact.consent_text,
        "consent_lang": contact.consent_lang,
        "consented_at": isoformat(contact.consented_at),
    }
    if name is not None:
        data = {"id": contact.id, "name": name, **data}
    return data


# --------------------------------------------------------------------------- retention


def privacy_of(session: Session, event_id: int) -> EventPrivacy:
    """The event's privacy settings (created empty on first use)."""
    privacy = session.get(EventPrivacy, event_id)
    if privacy is None:
        privacy = EventPrivacy(event_id=event_id)
        session.add(privacy)
        session.flush()
    return privacy


def set_retention(session: Session, event_id: int, days: int | None) -> EventPrivacy:
    """Delete participants' personal data ``days`` after the event (``None``: never
    automatically)."""
    privacy = privacy_of(session, event_id)
    privacy.retention_days, privacy.updated_at = days, utcnow()
    session.flush()
    return privacy


def event_day(event: Event) -> date:
    """The day an event ends: its date, or the day it was created when it has none."""
    return event.date or event.created_at.date()


def purge_due_on(event: Event, privacy: EventPrivacy | None) -> date | None:
    """The day personal data is deleted: ``retention_days`` after the event's day ends."""
    if privacy is None or privacy.retention_days is None:
        return None
    return event_day(event) + timedelta(days=privacy.retention_days + 1)


def privacy_json(session: Session, event: Event) -> dict:
    """The event's data-protection state as the API shows it."""
    privacy = session.get(EventPrivacy, event.id)
    contacts = session.scalar(select(func.count(Contact.id)).where(Contact.event_id == event.id))
    due = purge_due_on(event, privacy)
    return {
        "retention_days": privacy.retention_days if privacy else None,
        "purge_due_on": due.isoformat() if due else None,
        "personal_data_purged_at": isoformat(privacy.purged_at) if privacy else None,
        "contacts": contacts or 0,
    }


def due_for_purge(session: Session, today: date) -> list[int]:
    """Events whose retention period is over and whose personal data is not deleted yet."""
    rows = session.execute(
        select(Event, EventPrivacy).join(EventPrivacy, EventPrivacy.event_id == Event.id)
        .where(EventPrivacy.retention_days.is_not(None), EventPrivacy.purged_at.is_(None)))
    return [event.id for event, privacy in rows if purge_due_on(event, privacy) <= today]


def purge_personal_data(session: Session, event_id: int, now: datetime | None = None) -> dict:
    """Delete the personal data of an event's participants and keep the anonymous results.

    Names become empty (participants), ``null`` (ideas' authors, also in the change log, in
    remembered socket answers and in a published snapshot); participants' sign-ups for
    actions are deleted (from the board, the change log, remembered answers and a published
    snapshot) while the names the staff typed in as contributors stay; contact addresses are
    deleted; participants' tokens are revoked; the event's mails in the outbox lose their
    addresses and texts (those still waiting are not sent). Ideas, votes, actions and counts
    stay. Returns how many rows of each kind changed, and the event's ``workshop_ids``.
    """
    now = now or utcnow()
    workshop_ids = _workshop_ids(session, event_id)
    participant_ids = _participant_ids(session, event_id)
    staff_contributors = _staff_contributor_labels(session, workshop_ids)
    counts = {
        "participants": _empty_names(session, event_id),
        "ideas": _forget_authors(session, workshop_ids),
        "contributors": _delete_sign_ups(session, participant_ids),
        "contacts": session.execute(
            delete(Contact).where(Contact.event_id == event_id)).rowcount,
        "tokens": _revoke_tokens(session, participant_ids, now),
        "log_entries": _scrub_change_log(session, workshop_ids),
        "answers": _scrub_operations(session, event_id, workshop_ids, participant_ids),
        "mails": _scrub_mails(session, event_id),
    }
    _scrub_publication(session, event_id, staff_contributors)
    privacy = privacy_of(session, event_id)
    privacy.purged_at = now
    session.flush()
    return {**counts, "workshop_ids": workshop_ids}


def _scrub_mails(session: Session, event_id: int) -> int:
    """Forget the addresses and texts of the event's mails in the outbox (a mailing keeps its
    counts); mails still waiting are given up. How many mails changed."""
    mailings = select(Mailing.id).where(Mailing.event_id == event_id).scalar_subquery()
    session.execute(update(OutboxMessage)
                    .where(OutboxMessage.mailing_id.in_(mailings),
                           OutboxMessage.state.in_((QUEUED, SENDING)))
                    .values(state=FAILED, last_error="personal data deleted")
                    .execution_options(synchronize_session=False))
    return session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.mailing_id.in_(mailings), OutboxMessage.recipient != "")
        .values(recipient="", text_body="", html_body=None, headers={}, subject="")
        .execution_options(synchronize_session=False)).rowcount


def _workshop_ids(session: Session, event_id: int) -> list[int]:
    return list(session.scalars(select(Workshop.id).where(Workshop.event_id == event_id)))


def _participant_ids(session: Session, event_id: int) -> list[int]:
    return list(session.scalars(select(Participant.id).where(Participant.event_id == event_id)))


def _empty_names(session: Session, event_id: int) -> int:
    """Empty the names of the event's participants; how many had one."""
    return session.execute(
        update(Participant).where(Participant.event_id == event_id, Participant.name != "")
        .values(name="")).rowcount


def _forget_authors(session: Session, workshop_ids: list[int]) -> int:
    """Forget the author's name of every idea in these workshops; how many had one."""
    if not workshop_ids:
        return 0
    return session.execute(
        update(Idea).where(Idea.workshop_id.in_(workshop_ids), Idea.author_name.is_not(None))
        .values(author_name=None)).rowcount


def _delete_sign_ups(session: Session, participant_ids: list[int]) -> int:
    """Delete the participants' own sign-ups for actions (a sign-up says who brings what);
    contributors the staff typed in have no participant and stay. How many were deleted."""
    if not participant_ids:
        return 0
    return session.execute(
        delete(Contributor).where(Contributor.participant_id.in_(participant_ids))).rowcount


def _revoke_tokens(session: Session, participant_ids: list[int], now: datetime) -> int:
    """Revoke the participants' tokens that are still valid; how many."""
    if not participant_ids:
        return 0
    return session.execute(
        update(Token).where(Token.participant_id.in_(participant_ids),
                            Token.revoked_at.is_(None))
        .values(revoked_at=now)).rowcount


def _staff_contributor_labels(session: Session, workshop_ids: list[int]) -> dict[int, Counter]:
    """Per action of these workshops, the contributors the staff typed in, as a report lists
    them (``"Name (what they bring)"``): those on the board now and those in any logged
    version of the action, each label as often as it ever stood on the action at once."""
    if not workshop_ids:
        return {}
    labels: dict[int, Counter] = {}
    versions = [*_typed_on_board(session, workshop_ids), *_typed_in_log(session, workshop_ids)]
    for action_id, typed in versions:
        found = Counter(filter(None, (contributor_label(name, brings) for name, brings in typed)))
        labels[action_id] = labels.get(action_id, Counter()) | found
    return labels


def _typed_on_board(session: Session, workshop_ids: list[int]) -> list[tuple[int, list]]:
    """``(action_id, [(name, brings)…])`` of the contributors without a participant now."""
    typed: dict[int, list[tuple[str, str | None]]] = {}
    rows = session.execute(
        select(Contributor.action_id, Contributor.name, Contributor.brings)
        .join(Action, Action.id == Contributor.action_id)
        .where(Action.workshop_id.in_(workshop_ids), Contributor.participant_id.is_(None)))
    for action_id, name, brings in rows:
        typed.setdefault(action_id, []).append((name, brings))
    return list(typed.items())


def _typed_in_log(session: Session, workshop_ids: list[int]) -> list[tuple[int, list]]:
    """``(action_id, [(name, brings)…])`` of the contributors without a participant in each
    logged ``action_saved``."""
    versions = []
    for payload in session.scalars(select(WorkshopChange.payload)
                                   .where(WorkshopChange.workshop_id.in_(workshop_ids),
                                          WorkshopChange.name == ACTION_SAVED)):
        action = (payload or {}).get("action") or {}
        versions.append((action.get("id"), [
            (c.get("name"), c.get("brings")) for c in action.get("contributors") or ()
            if isinstance(c, dict) and not _signed_up(c)]))
    return versions


def _scrub_change_log(session: Session, workshop_ids: list[int]) -> int:
    """Remove participants' names from every variant of the workshops' logged changes (what
    the staff, the room and the owner see); how many entries changed."""
    if not workshop_ids:
        return 0
    changed = 0
    for change in session.scalars(select(WorkshopChange)
                                  .where(WorkshopChange.workshop_id.in_(workshop_ids))):
        scrubbed = False
        for column in ("payload", "withheld", "owner_payload"):
            value = getattr(change, column)
            anonymous = _anonymised(value)
            if anonymous != value:
                setattr(change, column, anonymous)
                scrubbed = True
        changed += scrubbed
    return changed


def _token_senders(session: Session, workshop_ids: Iterable[int]) -> list[str]:
    """The senders (``h:<token>``, ``v:<token>``) of the workshops' host and projector
    links, under which their ``op_id``s are remembered."""
    workshops = list(workshop_ids)
    if not workshops:
        return []
    rows = session.execute(select(Token.id, Token.kind)
                           .where(Token.workshop_id.in_(workshops),
                                  Token.kind.in_((HOST, VIEWER))))
    return [Identity(kind, token_id, "").sender for token_id, kind in rows]


def _answer_workshop(response: dict | None) -> int | None:
    """The workshop a remembered answer is about (its idea's or its action's), if any."""
    for key in ("idea", "action"):
        subject = (response or {}).get(key)
        if isinstance(subject, dict):
            return subject.get("workshop_id")
    return None


def _event_operations(session: Session, event_id: int, workshop_ids: Iterable[int],
                      participant_ids: Iterable[int]) -> list[Operation]:
    """The remembered socket answers that belong to this event: every answer of its
    participants and of its workshops' hosts and projectors, and its moderators' answers
    about its workshops (an idea or an action of one of them)."""
    workshops = set(workshop_ids)
    senders = [f"p:{pid}" for pid in participant_ids] + _token_senders(session, workshops)
    moderators = session.scalars(select(event_moderators.c.moderator_id)
                                 .where(event_moderators.c.event_id == event_id))
    moderator_senders = [f"m:{mid}" for mid in moderators]
    found = []
    if senders:
        found += session.scalars(select(Operation).where(Operation.sender.in_(senders)))
    if moderator_senders:
        for operation in session.scalars(select(Operation)
                                         .where(Operation.sender.in_(moderator_senders))):
            if _answer_workshop(operation.response) in workshops:
                found.append(operation)
    return found


def _scrub_operations(session: Session, event_id: int, workshop_ids: list[int],
                      participant_ids: list[int]) -> int:
    """Remove participants' names from the event's remembered socket answers; how many
    changed."""
    changed = 0
    for operation in _event_operations(session, event_id, workshop_ids, participant_ids):
        response = _anonymised(operation.response)
        if response != operation.response:
            operation.response = response
            changed += 1
    return changed


def _scrub_publication(session: Session, event_id: int,
                       staff_contributors: dict[int, Counter]) -> None:
    """Remove participants' names from the published snapshot: no idea's author, only the
    contributors the staff typed in."""
    publication = session.scalar(select(Publication).where(Publication.event_id == event_id))
    if publication is not None and publication.snapshot:
        publication.snapshot = strip_authors(publication.snapshot, staff_contributors)
        publication.authors = False
        discard_files(session, publication.id)  # its PDF named them


def _anonymised(value):
    """A JSON value without participants' names: every ``author`` is ``null``, and every list
    of action ``contributors`` loses those who signed up as participants (names the staff
    typed in have no ``participant_id`` and stay)."""
    if isinstance(value, dict):
        return {key: _anonymised_field(key, item) for key, item in value.items()}
    if isinstance(value, list):
        return [_anonymised(item) for item in value]
    return value


def _anonymised_field(key: str, value):
    if key == "author":
        return None
    if key == "contributors" and isinstance(value, list):
        value = [item for item in value if not _signed_up(item)]
    return _anonymised(value)


def _signed_up(contributor) -> bool:
    """Whether a contributor (as an action's JSON lists it) is a participant's sign-up."""
    return isinstance(contributor, dict) and contributor.get("participant_id") is not None


def purge_due(session: Session, today: date) -> dict[int, list[int]]:
    """Purge every event that is due; returns their ids, each with its workshops' ids."""
    return {event_id: purge_personal_data(session, event_id)["workshop_ids"]
            for event_id in due_for_purge(session, today)}


# --------------------------------------------------------------------------- deleting events


def delete_event(session: Session, event_id: int) -> dict:
    """Delete an event with everything in it: agenda, workshops with their categories,
    ideas, clusters, votes, actions and sign-ups, messages and change logs, the plenary with
    its items and votes, participants, their tokens and the workshops' host and projector
    links, contact addresses, redactions, report settings, the published page and the
    remembered socket answers (the rows cascade from the event through its workshops and
    participants). Returns the ids of what was deleted (for cleaning caches and rooms):
    ``{"event_id", "workshop_ids", "participant_ids", "members": [(workshop_id,
    participant_id)…]}``."""
    event = session.get(Event, event_id)
    if event is None:
        raise NotFound("There is no such event.")
    workshop_ids = _workshop_ids(session, event_id)
    participant_ids = _participant_ids(session, event_id)
    members = _members(session, workshop_ids)
    for operation in _event_operations(session, event_id, workshop_ids, participant_ids):
        session.delete(operation)
    session.flush()
    session.expunge(event)
    session.execute(delete(Event).where(Event.id == event_id))  # the rest cascades
    return {"event_id": event_id, "workshop_ids": workshop_ids,
            "participant_ids": participant_ids, "members": members}


def _members(session: Session, workshop_ids: list[int]) -> list[tuple[int, int]]:
    """Who joined which of these workshops: ``(workshop_id, participant_id)`` pairs."""
    if not workshop_ids:
        return []
    rows = session.execute(select(WorkshopMember.workshop_id, WorkshopMember.participant_id)
                           .where(WorkshopMember.workshop_id.in_(workshop_ids)))
    return [(workshop_id, participant_id) for workshop_id, participant_id in rows]
