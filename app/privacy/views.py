"""HTTP routes of data protection: a participant's contact address with consent, the
event's contact list, retention of personal data, deleting an event (JSON under /api/v1)."""

from __future__ import annotations

from pinnwand.api import api
from pinnwand.api.helpers import caller, json_body, moderator
from pinnwand.errors import Forbidden
from pinnwand.events.services import moderated_event
from pinnwand.privacy import services
from pinnwand.privacy.cleanup import after_purge, forget_event
from pinnwand.privacy.schemas import ContactIn, PrivacyPatch
from pinnwand.state import state
from pinnwand.validation import parse


def _participant():
    identity = caller()
    if not identity.is_participant:
        raise Forbidden("Only participants leave a contact address.")
    return identity


@api.get("/contact")
def get_contact():
    """The calling participant's stored address: ``{"contact": {...}}`` or
    ``{"contact": null}``."""
    identity = _participant()
    with state().db.read() as session:
        contact = services.contact_of(session, identity.participant_id)
        return {"contact": services.contact_json(contact) if contact else None}


@api.put("/contact")
def give_consent():
    """A participant leaves an e-mail address with explicit consent
    (``{"email", "send_results", "follow_up", "lang"}``, at least one purpose); the consent
    sentence shown in ``lang`` and the time are stored with it. No purpose: ``400``, nothing
    stored."""
    identity = _participant()
    data = parse(ContactIn, json_body())
    with state().db.transaction() as session:
        contact = services.give_consent(
            session, identity.participant_id, email=data.email,
            send_results=data.send_results, follow_up=data.follow_up, lang=data.lang)
        return {"contact": services.contact_json(contact)}


@api.delete("/contact")
def withdraw_consent():
    """A participant withdraws: the address and the consent are deleted (``204``)."""
    identity = _participant()
    with state().db.transaction() as session:
        services.withdraw_consent(session, identity.participant_id)
    return "", 204


@api.get("/events/<int:event_id>/contacts")
def list_contacts(event_id: int):
    """The addresses participants left with their consent: ``{"contacts": [...]}``; as CSV
    at ``/exports/events/{id}/contacts.csv``."""
    identity = moderator()
    with state().db.read() as session:
        moderated_event(session, identity, event_id)
        return {"contacts": [services.contact_json(contact, name) for contact, name
                             in services.contacts_of_event(session, event_id)]}


@api.get("/events/<int:event_id>/privacy")
def get_privacy(event_id: int):
    """``{"retention_days", "purge_due_on", "personal_data_purged_at", "contacts"}``."""
    identity = moderator()
    with state().db.read() as session:
        event = moderated_event(session, identity, event_id)
        return services.privacy_json(session, event)


@api.patch("/events/<int:event_id>/privacy")
def update_privacy(event_id: int):
    """Set how many days after the event participants' personal data is deleted
    (``{"retention_days": N}``; ``null``: not automatically)."""
    identity = moderator()
    data = parse(PrivacyPatch, json_body())
    with state().db.transaction() as session:
        event = moderated_event(session, identity, event_id)
        if "retention_days" in data.model_fields_set:
            services.set_retention(session, event_id, data.retention_days)
        return services.privacy_json(session, event)


@api.post("/events/<int:event_id>/privacy/purge")
def purge_now(event_id: int):
    """Delete participants' personal data now (names, addresses), keep the results. The
    participants' sockets are closed on every process; screens on the event's boards load them
    again (``resync``)."""
    identity = moderator()
    app_state = state()
    with app_state.db.transaction() as session:
        event = moderated_event(session, identity, event_id)
        purged = services.purge_personal_data(session, event_id)
        answer = services.privacy_json(session, event)
    after_purge(app_state, event_id, purged["workshop_ids"])
    return answer


@api.delete("/events/<int:event_id>")
def delete_event(event_id: int):
    """Delete the event with everything in it (``204``); its sockets are disconnected."""
    identity = moderator()
    app_state = state()
    with app_state.db.transaction() as session:
        moderated_event(session, identity, event_id)
        deleted = services.delete_event(session, event_id)
    forget_event(app_state, deleted)
    return "", 204

