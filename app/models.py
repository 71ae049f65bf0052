"""Imports every model so ``Base.metadata`` is complete (migrations, schema checks)."""

from app.actions.models import Action, Contributor
from app.auth.models import Moderator, Token
from app.clusters.models import Cluster
from app.db import Base
from app.events.models import AgendaItem, Event, Participant, event_moderators
from app.ideas.models import Idea, Operation
from app.plenary.models import PlenaryItem, PlenaryVote
from app.privacy.models import Contact, EventPrivacy
from app.reports.models import IdeaRedaction, Publication, ReportSettings
from app.votes.models import Vote
from app.workshops.models import Category, Message, Workshop, WorkshopChange, WorkshopMember

__all__ = [
    "Action", "AgendaItem", "Base", "Category", "Cluster", "Contact", "Contributor", "Event",
    "EventPrivacy", "Idea", "IdeaRedaction", "Message", "Moderator", "Operation", "Participant",
    "PlenaryItem", "PlenaryVote", "Publication", "ReportSettings", "Token", "Vote", "Workshop",
    "WorkshopChange", "WorkshopMember", "event_moderators",
]
