"""The words a report prints, in English and German, and how it writes dates, times (in the
event's time zone), authors and contributors.

Reports are documents, not pages: their words live here (both languages side by side, checked
by a test to have the same keys) rather than in the pages' gettext catalogues, so a report in
either language can be rendered from any request or worker thread.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from pinnwand.reports.model import DEFAULT_TIME_ZONE, EventReport, ReportOptions

LANGUAGES = ("en", "de")

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "report": "Results report",
        "date": "Date",
        "location": "Place",
        "organiser": "Organiser",
        "moderation": "Moderation",
        "key_figures": "Key figures",
        "participants": "Participants",
        "workshops": "Workshops",
        "workshop": "Workshop",
        "workshop_id": "Workshop ID",
        "ideas": "Ideas",
        "idea": "Idea",
        "idea_id": "Idea ID",
        "votes": "Votes",
        "vote_one": "{n} vote",
        "vote_other": "{n} votes",
        "unvoted_one": "1 idea without votes: see the appendix.",
        "unvoted_other": "{n} ideas without votes: see the appendix.",
        "actions": "Actions",
        "action": "Action",
        "author": "Author",
        "anonymous": "Anonymous",
        "agenda": "Agenda",
        "time": "Time",
        "talk": "Talk",
        "speaker": "Speaker",
        "organisation": "Organisation",
        "question": "Guiding question",
        "host": "Host",
        "steps": "Steps run",
        "contents": "Contents",
        "top_results": "Top results of the workshops",
        "top_of_workshop": "Top results",
        "vote_chart": "Votes",
        "chart_title": "The ideas with the most votes",
        "chart_title_clusters": "The clusters with the most votes",
        "clusters": "Clusters",
        "cluster": "Cluster",
        "ideas_ranked": "Ideas ranked by votes",
        "unclustered": "Ideas without a cluster",
        "rank": "Rank",
        "category": "Category",
        "owner": "Owner",
        "contributors": "Contributors",
        "due": "Due",
        "prospects": "Prospects",
        "source": "From",
        "description": "Description",
        "appendix": "Appendix: every idea",
        "no_ideas": "No ideas were posted.",
        "no_votes": "No votes were cast.",
        "no_actions": "No actions recorded.",
        "register": "Action register",
        "register_intro": "The actions of this series as they stood at the end of the forum.",
        "register_status": "Status",
        "register_forum": "Agreed at",
        "register_latest": "Latest update",
        "register_decision": "This forum",
        "register_planned": "planned",
        "register_running": "running",
        "register_done": "done",
        "register_dropped": "dropped",
        "decision_carried": "carried forward",
        "decision_dropped": "dropped",
        "no_agenda": "No talks on the agenda.",
        "redacted": "edited by the moderation",
        "number": "No.",
        "created_zoned": "Created ({zone})",
        "plenary": "Plenary",
        "plenary_intro": "The best of every workshop, brought together and voted on by everyone.",
        "plenary_top": "Plenary",
        "plenary_vote": "Shared vote",
        "plenary_summary": "{votes} dots from {voters} participants (up to {budget} each).",
        "plenary_dots": "{votes} dots.",
        "plenary_no_vote": "There was no shared vote.",
        "item": "Item",
        "kind_idea": "Idea",
        "kind_cluster": "Cluster",
        "people_one": "1 person",
        "people_other": "{n} people",
        "people_more": "and {n} more",
        "names_none": "Participants are not named in this report; only the moderation is.",
        "names_contributors": (
            "Participants are not named in this report, except contributors to actions who agreed "
            "to be named."
        ),
        "names_authors": (
            "Ideas show who posted them unless posted anonymously; contributors to actions are "
            "not named."
        ),
        "names_all": (
            "Ideas show who posted them unless posted anonymously; contributors to actions are "
            "named when they agreed."
        ),
        "times_in": "Times in {zone}.",
        "personal_data_removed": "Participants' names were deleted on {date}.",
        "generated": "Generated",
        "page": "Page",
        "of": "of",
        "sheet_ideas": "Ideas",
        "sheet_workshops": "Workshops",
        "sheet_actions": "Actions",
        "yes": "yes",
        "no": "no",
        "step_collect": "Collect ideas",
        "step_cluster": "Cluster",
        "step_vote": "Vote",
        "step_act": "Plan actions",
        "step_review": "Review",
        # The review of earlier forums' actions (a forum of a series)
        "review": "Review: which actions worked",
        "review_intro": ("The open actions of the series' earlier forums, as the participants "
                         "of this forum judged them. Comments are shown without names."),
        "review_forum": "Agreed at",
        "review_status": "Status now",
        "review_comments": "Comments",
        "review_verdict_worked": "Worked",
        "review_verdict_partly": "Partly",
        "review_verdict_not": "Did not work",
        "review_verdict_unsure": "Too early",
        "sheet_review": "Review",
    },
    "de": {
        "report": "Ergebnisbericht",
        "date": "Datum",
        "location": "Ort",
        "organiser": "Veranstalter",
        "moderation": "Moderation",
        "key_figures": "Kennzahlen",
        "participants": "Teilnehmende",
        "workshops": "Workshops",
        "workshop": "Workshop",
        "workshop_id": "Workshop-ID",
        "ideas": "Ideen",
        "idea": "Idee",
        "idea_id": "Ideen-ID",
        "votes": "Stimmen",
        "vote_one": "{n} Stimme",
        "vote_other": "{n} Stimmen",
        "unvoted_one": "1 Idee ohne Stimmen: siehe Anhang.",
        "unvoted_other": "{n} Ideen ohne Stimmen: siehe Anhang.",
        "actions": "Maßnahmen",
        "action": "Maßnahme",
        "author": "Autor/in",
        "anonymous": "Anonym",
        "agenda": "Agenda",
        "time": "Uhrzeit",
        "talk": "Vortrag",
        "speaker": "Referent/in",
        "organisation": "Organisation",
        "question": "Leitfrage",
        "host": "Leitung",
        "steps": "Durchlaufene Schritte",
        "contents": "Inhalt",
        "top_results": "Die wichtigsten Ergebnisse der Workshops",
        "top_of_workshop": "Wichtigste Ergebnisse",
        "vote_chart": "Stimmen",
        "chart_title": "Die Ideen mit den meisten Stimmen",
        "chart_title_clusters": "Die Cluster mit den meisten Stimmen",
        "clusters": "Cluster",
        "cluster": "Cluster",
        "ideas_ranked": "Ideen nach Stimmen",
        "unclustered": "Ideen ohne Cluster",
        "rank": "Rang",
        "category": "Kategorie",
        "owner": "Verantwortlich",
        "contributors": "Beteiligte",
        "due": "Fällig bis",
        "prospects": "Aussichten",
        "source": "Aus",
        "description": "Beschreibung",
        "appendix": "Anhang: alle Ideen",
        "no_ideas": "Es wurden keine Ideen gepostet.",
        "no_votes": "Es wurden keine Stimmen vergeben.",
        "no_actions": "Keine Maßnahmen festgehalten.",
        "register": "Maßnahmenregister",
        "register_intro": "Die Maßnahmen dieser Reihe, wie sie am Ende des Forums standen.",
        "register_status": "Stand",
        "register_forum": "Vereinbart bei",
        "register_latest": "Letzte Meldung",
        "register_decision": "Dieses Forum",
        "register_planned": "geplant",
        "register_running": "läuft",
        "register_done": "erledigt",
        "register_dropped": "aufgegeben",
        "decision_carried": "fortgeführt",
        "decision_dropped": "aufgegeben",
        "no_agenda": "Keine Vorträge auf der Agenda.",
        "redacted": "von der Moderation bearbeitet",
        "number": "Nr.",
        "created_zoned": "Erstellt ({zone})",
        "plenary": "Plenum",
        "plenary_intro": "Das Beste aus allen Workshops, zusammengeführt und gemeinsam abgestimmt.",
        "plenary_top": "Plenum",
        "plenary_vote": "Gemeinsame Abstimmung",
        "plenary_summary": "{votes} Punkte von {voters} Teilnehmenden (bis zu {budget} je Person).",
        "plenary_dots": "{votes} Punkte.",
        "plenary_no_vote": "Es gab keine gemeinsame Abstimmung.",
        "item": "Beitrag",
        "kind_idea": "Idee",
        "kind_cluster": "Cluster",
        "people_one": "1 Person",
        "people_other": "{n} Personen",
        "people_more": "und {n} weitere",
        "names_none": (
            "Teilnehmende werden in diesem Bericht nicht namentlich genannt, nur die Moderation."
        ),
        "names_contributors": (
            "Teilnehmende werden in diesem Bericht nicht namentlich genannt – außer Beteiligten "
            "an Maßnahmen, die dem zugestimmt haben."
        ),
        "names_authors": (
            "Ideen nennen ihre Urheber, sofern nicht anonym gepostet; Beteiligte an Maßnahmen "
            "werden nicht genannt."
        ),
        "names_all": (
            "Ideen nennen ihre Urheber, sofern nicht anonym gepostet; Beteiligte an Maßnahmen "
            "werden genannt, wenn sie zugestimmt haben."
        ),
        "times_in": "Zeiten in {zone}.",
        "personal_data_removed": "Die Namen der Teilnehmenden wurden am {date} gelöscht.",
        "generated": "Erstellt am",
        "page": "Seite",
        "of": "von",
        "sheet_ideas": "Ideen",
        "sheet_workshops": "Workshops",
        "sheet_actions": "Maßnahmen",
        "yes": "ja",
        "no": "nein",
        "step_collect": "Ideen sammeln",
        "step_cluster": "Clustern",
        "step_vote": "Abstimmen",
        "step_act": "Maßnahmen planen",
        "step_review": "Rückblick",
        "review": "Rückblick: Welche Maßnahmen haben gewirkt",
        "review_intro": ("Die offenen Maßnahmen der früheren Foren der Reihe, wie die "
                         "Teilnehmenden dieses Forums sie bewertet haben. Kommentare stehen "
                         "ohne Namen."),
        "review_forum": "Vereinbart bei",
        "review_status": "Stand heute",
        "review_comments": "Kommentare",
        "review_verdict_worked": "Hat gewirkt",
        "review_verdict_partly": "Teilweise",
        "review_verdict_not": "Hat nicht gewirkt",
        "review_verdict_unsure": "Zu früh",
        "sheet_review": "Rückblick",
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
    ``labels.votes``); the ``format_*`` methods write values the way that language does,
    times in the time zone ``zone`` (an IANA name)."""

    lang: str
    texts: Mapping[str, str]
    zone: str = DEFAULT_TIME_ZONE

    def __getitem__(self, key: str) -> str:
        return self.texts[key]

    def fill(self, key: str, **values) -> str:
        """The label ``key`` with its ``{placeholders}`` filled in (``{zone}`` always)."""
        text = self.texts[key].replace("{zone}", self.zone)
        for name, value in values.items():
            text = text.replace("{" + name + "}", str(value))
        return text

    def local(self, moment: datetime) -> datetime:
        """``moment`` in this report's time zone."""
        return moment.astimezone(ZoneInfo(self.zone))

    def format_day(self, day: date | None) -> str:
        """A calendar day written out, e.g. ``21 November 2026`` or ``21. November 2026``."""
        if day is None:
            return ""
        month = MONTHS[self.lang][day.month - 1]
        separator = ". " if self.lang == "de" else " "
        return f"{day.day}{separator}{month} {day.year}"

    def format_short_day(self, day: date | None) -> str:
        """A calendar day in digits: ``21.11.2026`` or ``2026-11-21``."""
        if day is None:
            return ""
        return day.strftime("%d.%m.%Y") if self.lang == "de" else day.isoformat()

    def format_moment(self, moment: datetime | None) -> str:
        """A moment in the report's time zone to the minute, e.g. ``21 November 2026, 15:05
        (Europe/Berlin)`` or ``21. November 2026, 15:05 Uhr (Europe/Berlin)``."""
        if moment is None:
            return ""
        local = self.local(moment)
        clock = local.strftime("%H:%M") + (" Uhr" if self.lang == "de" else "")
        return f"{self.format_day(local.date())}, {clock} ({self.zone})"

    def format_time(self, moment: datetime | None) -> str:
        """The time of day in the report's time zone, e.g. ``15:05``."""
        return self.local(moment).strftime("%H:%M") if moment else ""

    def count_people(self, n: int) -> str:
        """``1 person`` / ``3 people`` (``1 Person`` / ``3 Personen``)."""
        return self.fill("people_one" if n == 1 else "people_other", n=n)

    def contributors_of(self, action) -> str:
        """Who contributes to an action as a report lists them: the named ones, then how
        many more (``Anna (Räume), Verkehrsclub und 2 weitere``), or just how many."""
        named = ", ".join(action.contributors)
        if not action.unnamed:
            return named
        if not named:
            return self.count_people(action.unnamed)
        return f"{named} {self.fill('people_more', n=action.unnamed)}"

    def plenary_summary(self, plenary) -> str:
        """How the shared vote went: dots, voters and budget (just the dots when it is not
        known who placed them)."""
        if not plenary.voters:
            return self.fill("plenary_dots", votes=plenary.votes)
        return self.fill("plenary_summary", votes=plenary.votes, voters=plenary.voters,
                         budget=plenary.vote_budget)

    def names_note(self, options: ReportOptions) -> str:
        """The cover's sentence saying whom the report names."""
        key = {(False, False): "names_none", (False, True): "names_contributors",
               (True, False): "names_authors", (True, True): "names_all"}
        return self[key[(options.authors, options.contributors)]]

    def format_author(self, name: str | None) -> str:
        """The author's name, or the word for "anonymous" when there is none."""
        return name or self["anonymous"]

    def step_name(self, key: str) -> str:
        """The name of a workshop step (its key when the step is unknown here)."""
        return self.texts.get(f"step_{key}", key)

    def step_names(self, keys) -> str:
        """Several steps, in order: ``Collect ideas → Vote``."""
        return " → ".join(self.step_name(key) for key in keys)

    def count_votes(self, n: int) -> str:
        """``1 vote`` / ``3 votes`` (``1 Stimme`` / ``3 Stimmen``)."""
        return self["vote_one" if n == 1 else "vote_other"].replace("{n}", str(n))

    def count_unvoted(self, n: int) -> str:
        """``3 ideas without votes: see the appendix.`` (the ranked lists leave them out)."""
        return self["unvoted_one" if n == 1 else "unvoted_other"].replace("{n}", str(n))

    def status_name(self, status: str) -> str:
        """An action's register status (``planned``, ``running``, ``done``, ``dropped``) in
        this language (its key when unknown here)."""
        return self.texts.get(f"register_{status}", status)

    def decision(self, kind: str | None) -> str:
        """What this forum decided about a series' action, or an empty text."""
        return self.texts.get(f"decision_{kind}", "") if kind else ""

    def latest_update(self, row) -> str:
        """The latest update of a register row: ``day: note`` (or just one of them)."""
        day = self.format_short_day(self.local(row.latest_at).date()) if row.latest_at else ""
        return ": ".join(part for part in (day, row.latest_note or "") if part)
    def verdict(self, key: str) -> str:
        """A review verdict's name (``worked``, ``partly``, ``not``, ``unsure``)."""
        return self.texts.get(f"review_verdict_{key}", key)

    def review_counts(self, row) -> list[tuple[str, int]]:
        """A reviewed action's verdicts, each with its name, in the fixed order."""
        return [(self.verdict(key), value) for key, value in (
            ("worked", row.worked), ("partly", row.partly), ("not", row.not_),
            ("unsure", row.unsure))]

    def yes_no(self, value: bool) -> str:
        """``yes`` or ``no`` in this language."""
        return self["yes"] if value else self["no"]


def labels_for(lang: str, zone: str = DEFAULT_TIME_ZONE) -> Labels:
    """The labels of ``lang`` (``en`` or ``de``) writing times in ``zone``; any other
    language is a :class:`ValueError`."""
    if lang not in TEXTS:
        raise ValueError(f"Reports come in {', '.join(LANGUAGES)}, not {lang!r}.")
    return Labels(lang, TEXTS[lang], zone)


def report_labels(report: EventReport, lang: str) -> Labels:
    """The labels a report is rendered with: ``lang``, times in the event's time zone."""
    return labels_for(lang, report.event.time_zone)
