"""Imports every model so ``Base.metadata`` is complete (migrations, schema checks)."""

from pinnwand.actions.models import Action, Contributor
from pinnwand.auth.models import Moderator, Token
from pinnwand.board.models import Operation, WorkshopChange
from pinnwand.clusters.models import Cluster
from pinnwand.db import Base
from pinnwand.events.models import (
    AgendaItem,
    Event,
    Participant,
    RetiredJoinCode,
    event_moderators,
)
from pinnwand.ideas.models import Idea
from pinnwand.mail.models import MailAttachment, Mailing, OutboxMessage
from pinnwand.plenary.models import PlenaryItem, PlenaryVote
from pinnwand.privacy.models import Contact, EventPrivacy, Subscriber
from pinnwand.reports.models import IdeaRedaction, Publication, PublishedFile, ReportSettings
from pinnwand.reviews.models import ReviewVerdict
from pinnwand.series.models import (
    ActionUpdate,
    Series,
    UpdateLink,
    series_events,
    series_moderators,
)
from pinnwand.votes.models import Vote
from pinnwand.workshops.models import Category, Message, Workshop, WorkshopMember

__all__ = [
    "Action", "ActionUpdate", "AgendaItem", "Base", "Category", "Cluster", "Contact",
    "Contributor", "Event", "EventPrivacy", "Idea", "IdeaRedaction", "MailAttachment", "Mailing",
    "Message", "Moderator", "Operation", "OutboxMessage", "Participant", "PlenaryItem",
    "PlenaryVote", "Publication", "PublishedFile", "ReportSettings", "RetiredJoinCode",
    "ReviewVerdict", "Series",
    "Subscriber", "Token", "UpdateLink", "Vote", "Workshop", "WorkshopChange", "WorkshopMember",
    "event_moderators", "series_events", "series_moderators",
]
