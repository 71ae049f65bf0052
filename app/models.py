"""Imports every model so ``Base.metadata`` is complete (migrations, schema checks)."""

from app.auth.models import Moderator, Token
from app.db import Base
from app.events.models import AgendaItem, Event, Participant, event_moderators
from app.ideas.models import Idea, Operation
from app.workshops.models import Workshop, WorkshopChange, WorkshopMember

__all__ = [
    "AgendaItem", "Base", "Event", "Idea", "Moderator", "Operation", "Participant", "Token",
    "Workshop", "WorkshopChange", "WorkshopMember", "event_moderators",
]
from app.privacy.models import Contact, EventPrivacy
from app.reports.models import IdeaRedaction, Publication, ReportSettings

__all__ += ["Contact", "EventPrivacy", "IdeaRedaction", "Publication", "ReportSettings"]
