"""The words a report prints, in English and German, and how it writes dates and authors."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime

LANGUAGES = ("en", "de")

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "report": "Results report",
        "date": "Date",
        "location": "Location",
        "key_figures": "Key figures",
        "participants": "Participants",
        "workshops": "Workshops",
        "workshop": "Workshop",
        "workshop_id": "Workshop ID",
        "ideas": "Ideas",
        "idea": "Idea",
        "idea_id": "Idea ID",
        "votes": "Votes",
        "author": "Author",
        "anonymous": "Anonymous",
        "agenda": "Agenda",
        "time": "Time",
        "talk": "Talk",
        "speaker": "Speaker",
        "organisation": "Organisation",
        "question": "Guiding question",
        "no_ideas": "No ideas yet.",
        "created_at": "Created (UTC)",
        "generated": "Generated",
        "page": "Page",
        "of": "of",
    },
    "de": {
        "report": "Ergebnisbericht",
        "date": "Datum",
        "location": "Ort",
        "key_figures": "Kennzahlen",
        "participants": "Teilnehmende",
        "workshops": "Workshops",
        "workshop": "Workshop",
        "workshop_id": "Workshop-ID",
        "ideas": "Ideen",
        "idea": "Idee",
        "idea_id": "Ideen-ID",
        "votes": "Stimmen",
        "author": "Autor/in",
        "anonymous": "Anonym",
        "agenda": "Agenda",
        "time": "Uhrzeit",
        "talk": "Vortrag",
        "speaker": "Referent/in",
        "organisation": "Organisation",
        "question": "Leitfrage",
        "no_ideas": "Noch keine Ideen.",
        "created_at": "Erstellt (UTC)",
        "generated": "Erstellt am",
        "page": "Seite",
        "of": "von",
    },
}

MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
    "de": ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
           "September", "Oktober", "November", "Dezember"),
}


@dataclass(frozen=True)
class Labels:
    """The texts of one language: ``labels["votes"]`` is a label (in templates also
    ``labels.votes``); the ``format_*`` methods write values the way that language does."""

    lang: str
    texts: Mapping[str, str]

    def __getitem__(self, key: str) -> str:
        return self.texts[key]

    def format_day(self, day: date | None) -> str:
        """A calendar day written out, e.g. ``21 November 2026`` or ``21. November 2026``."""
        if day is None:
            return ""
        month = MONTHS[self.lang][day.month - 1]
        separator = ". " if self.lang == "de" else " "
        return f"{day.day}{separator}{month} {day.year}"

    def format_moment(self, moment: datetime | None) -> str:
        """A moment in UTC to the minute, e.g. ``2026-11-21 14:05 UTC``."""
        if moment is None:
            return ""
        return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")

    def format_author(self, name: str | None) -> str:
        """The author's name, or the word for "anonymous" when there is none."""
        return name or self["anonymous"]


def labels_for(lang: str) -> Labels:
    """The labels of ``lang`` (``en`` or ``de``); any other language is a :class:`ValueError`."""
    if lang not in TEXTS:
        raise ValueError(f"Reports come in {', '.join(LANGUAGES)}, not {lang!r}.")
    return Labels(lang, TEXTS[lang])
