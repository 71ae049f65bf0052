"""The words of the mails, in German and English side by side (a test checks both have the
same keys), and rendering a mail's plain text and HTML from ``templates/mail``.

Mails are documents like the report (:mod:`pinnwand.reports.labels`): their words live here,
not in the pages' catalogues, so a mail in the recipient's language can be rendered anywhere –
in a request, a background task or a later feature's scheduler.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

LANGUAGES = ("de", "en")
TEMPLATES = Path(__file__).resolve().parents[1] / "templates" / "mail"

TEXTS: dict[str, dict[str, str]] = {
    "de": {
        "greeting": "Guten Tag,",
        "greeting_name": "Guten Tag {name},",
        "results_subject": "Die Ergebnisse von „{event}“",
        "results_intro": "die Ergebnisse von „{event}“ sind veröffentlicht. Sie finden sie "
                         "hier:",
        "results_button": "Ergebnisse ansehen",
        "results_pdf_attached": "Die Ergebnisse hängen außerdem als PDF an.",
        "results_pdf_link": "Als PDF: {url}",
        "note_from": "Eine Nachricht der Moderation:",
        "closing": "Viele Grüße\n{organiser}",
        "why_results": "Sie erhalten diese E-Mail, weil Sie bei „{event}“ zugestimmt haben, "
                       "die Ergebnisse zu erhalten.",
        "withdraw": "Einwilligung widerrufen und Adresse löschen",
        "test_note": "Dies ist eine Testnachricht an Sie selbst; die Teilnehmenden haben sie "
                     "nicht erhalten.",
        "test_subject_prefix": "[Test] ",
        "confirm_subject": "Bitte bestätigen: Einladungen zu den nächsten Foren",
        "confirm_intro": "Sie haben auf der Ergebnisseite von „{event}“ darum gebeten, über "
                         "die nächsten Foren informiert zu werden. Bitte bestätigen Sie das "
                         "mit einem Klick:",
        "confirm_button": "Ja, informieren Sie mich",
        "confirm_ignore": "Wenn Sie das nicht waren, ignorieren Sie diese E-Mail einfach: "
                          "Ohne Bestätigung wird nichts gespeichert und Ihre Angaben werden "
                          "nach sieben Tagen gelöscht.",
        "why_confirm": "Sie erhalten diese E-Mail, weil jemand diese Adresse auf der "
                       "Ergebnisseite von „{event}“ angegeben hat.",
        "withdraw_request": "Anfrage zurückziehen und Angaben löschen",
        "invite_subject": "Einladung: {event}",
        "invite_intro": "die Reihe „{series}“ geht weiter, und Sie sind herzlich eingeladen:",
        "invite_when": "Wann: {date}",
        "invite_where": "Wo: {location}",
        "invite_join": "Am Tag selbst nehmen Sie mit diesem Link teil (kein Konto nötig):",
        "why_invite": "Sie erhalten diese E-Mail, weil Sie bei einem Forum der Reihe "
                      "„{series}“ zugestimmt haben, zu weiteren Treffen eingeladen zu werden.",
        "reminder_subject": "Erinnerung: {action}",
        "reminder_due": "die Maßnahme „{action}“ der Reihe „{series}“ ist am {day} fällig.",
        "reminder_forum": "am {day} findet das nächste Forum der Reihe „{series}“ statt: "
                          "„{forum}“. Wie steht es um die Maßnahme „{action}“?",
        "reminder_update": "Hier melden Sie den Stand, mit einer kurzen Notiz (kein Konto "
                           "nötig):",
        "why_reminder": "Sie erhalten diese E-Mail, weil die Moderation der Reihe Ihnen einen "
                        "persönlichen Link zu dieser Maßnahme mit dieser Adresse angelegt hat.",
        "footer": "Versendet mit Pinnwand",
    },
    "en": {
        "greeting": "Hello,",
        "greeting_name": "Hello {name},",
        "results_subject": "The results of “{event}”",
        "results_intro": "the results of “{event}” are published. You find them here:",
        "results_button": "See the results",
        "results_pdf_attached": "The results are also attached as a PDF.",
        "results_pdf_link": "As a PDF: {url}",
        "note_from": "A message from the moderation:",
        "closing": "Kind regards\n{organiser}",
        "why_results": "You receive this e-mail because you agreed at “{event}” to receive "
                       "the results.",
        "withdraw": "Withdraw consent and delete my address",
        "test_note": "This is a test message to yourself; the participants did not receive "
                     "it.",
        "test_subject_prefix": "[Test] ",
        "confirm_subject": "Please confirm: invitations to the next forums",
        "confirm_intro": "On the results page of “{event}” you asked to be told about the "
                         "next forums. Please confirm with one click:",
        "confirm_button": "Yes, keep me informed",
        "confirm_ignore": "If that was not you, simply ignore this e-mail: without "
                          "confirmation nothing is kept, and your details are deleted after "
                          "seven days.",
        "why_confirm": "You receive this e-mail because someone gave this address on the "
                       "results page of “{event}”.",
        "withdraw_request": "Withdraw the request and delete my details",
        "invite_subject": "Invitation: {event}",
        "invite_intro": "the series “{series}” goes on, and you are warmly invited:",
        "invite_when": "When: {date}",
        "invite_where": "Where: {location}",
        "invite_join": "On the day itself you take part with this link (no account needed):",
        "why_invite": "You receive this e-mail because you agreed at a forum of the series "
                      "“{series}” to be invited to further meetings.",
        "reminder_subject": "Reminder: {action}",
        "reminder_due": "the action “{action}” of the series “{series}” is due on {day}.",
        "reminder_forum": "the next forum of the series “{series}”, “{forum}”, takes place on "
                          "{day}. How is the action “{action}” doing?",
        "reminder_update": "Report where it stands here, with a short note (no account "
                           "needed):",
        "why_reminder": "You receive this e-mail because the moderation of the series created "
                        "a personal link to this action for you with this address.",
        "footer": "Sent with Pinnwand",
    },
}


@dataclass(frozen=True)
class Words:
    """The mail words of one language; ``words.fill(key, name=…)`` fills placeholders."""

    lang: str

    def __getitem__(self, key: str) -> str:
        return TEXTS[self.lang][key]

    def fill(self, key: str, **values) -> str:
        """The text ``key`` with its ``{placeholders}`` filled in."""
        text = TEXTS[self.lang][key]
        for name, value in values.items():
            text = text.replace("{" + name + "}", str(value))
        return text


def words_for(lang: str) -> Words:
    """The words of ``lang`` (German for any language not offered)."""
    return Words(lang if lang in TEXTS else "de")


@dataclass(frozen=True)
class Rendered:
    """A mail's subject, plain text and HTML."""

    subject: str
    text: str
    html: str


def render_mail(template: str, subject: str, **context) -> Rendered:
    """Render ``templates/mail/<template>.txt`` and ``.html`` with ``context`` (which holds
    ``words``)."""
    environment = _environment()
    text = environment.get_template(f"{template}.txt").render(subject=subject, **context)
    html = environment.get_template(f"{template}.html").render(subject=subject, **context)
    return Rendered(subject=subject, text=text.strip() + "\n", html=html)


@cache
def _environment() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=_escape_html,
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                       keep_trailing_newline=True)


def _escape_html(name: str | None) -> bool:
    return bool(name and name.endswith(".html"))
