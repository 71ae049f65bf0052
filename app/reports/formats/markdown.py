"""The report as Markdown (GitHub flavour), with every piece of user text escaped so it
cannot add headings, lists, tables, links or HTML of its own."""

from __future__ import annotations

import html
import re

from pinnwand.reports.labels import Labels
from pinnwand.reports.model import AgendaRow, ChartBar, EventReport, PlenaryReport, WorkshopReport

BAR_BLOCKS = 20  # the longest bar of a text chart

# Characters that start inline markup (emphasis, code, links, tables, strike-through).
_INLINE = re.compile(r"([\\`*_\[\]|~])")
# What turns a line into a block of its own: heading, list item, rule, setext underline.
_BLOCK_START = re.compile(r"^(#|[-+=]|\d+[.)])")


def render(report: EventReport, labels: Labels) -> bytes:
    """The report as UTF-8 Markdown."""
    return "\n".join(lines(report, labels)).encode()


def lines(report: EventReport, labels: Labels):
    """The report's Markdown, line by line."""
    yield from _cover(report, labels)
    if report.plenary:
        yield from _plenary(report.plenary, labels)
    yield from _agenda(report.agenda, labels)
    yield f"## {labels['workshops']}"
    yield ""
    for workshop in report.workshops:
        yield from _workshop(workshop, report.options.authors, labels)
    if report.review:
        yield from _review(report, labels)
    if report.register:
        yield from _register(report, labels)
    yield from _appendix(report, labels)
    yield f"*{labels['generated']}: {labels.format_moment(report.generated_at)}*"
    yield ""


def _cover(report: EventReport, labels: Labels):
    event = report.event
    yield f"# {inline(event.title)}"
    yield ""
    yield f"*{labels['report']}*"
    yield ""
    if event.date:
        yield f"**{labels['date']}:** {labels.format_day(event.date)}  "
    facts = [(labels["location"], event.location),
             (labels["organiser"], event.organiser),
             (labels["moderation"], ", ".join(event.moderators))]
    for label, value in facts:
        if value:
            yield f"**{label}:** {inline(value)}  "
    if event.description:
        yield ""
        yield paragraph(event.description)
    yield ""
    figures = report.figures
    yield f"## {labels['key_figures']}"
    yield ""
    yield from _table(
        [labels["participants"], labels["workshops"], labels["ideas"], labels["votes"],
         labels["actions"]],
        [[str(figures.participants), str(figures.workshops), str(figures.ideas),
          str(figures.votes), str(figures.actions)]],
        align=("right",) * 5,
    )
    if report.workshops or report.plenary:
        yield f"## {labels['top_results']}"
        yield ""
        if report.plenary:
            yield f"**{labels['plenary_top']}**"
            yield ""
            for item in report.plenary.top:
                yield (f"{item.rank}. {inline(item.heading)} — "
                       f"**{labels.count_votes(item.votes)}**")
            if not report.plenary.top:
                yield f"*{labels['plenary_no_vote']}*"
            yield ""
        for workshop in report.workshops:
            yield f"**{workshop.number}. {inline(workshop.title)}**"
            yield ""
            if workshop.top:
                for bar in workshop.top:
                    yield f"{bar.rank}. {inline(bar.label)} — **{labels.count_votes(bar.votes)}**"
            elif workshop.ideas:
                yield f"*{labels['ideas']}: {workshop.figures.ideas} · {labels['no_votes']}*"
            else:
                yield f"*{labels['no_ideas']}*"
            yield ""
    yield f"*{labels.names_note(report.options)} {labels.fill('times_in')}*"
    yield ""
    if report.personal_data_removed_at:
        day = labels.format_short_day(report.personal_data_removed_at.date())
        yield f"*{labels['personal_data_removed'].replace('{date}', day)}*"
        yield ""


def _plenary(plenary: PlenaryReport, labels: Labels):
    yield f"## {labels['plenary']}"
    yield ""
    yield labels["plenary_intro"]
    yield ""
    yield f"### {labels['plenary_vote']}"
    yield ""
    if plenary.voted:
        yield labels.plenary_summary(plenary)
        yield ""
        yield from _bars(plenary.chart)
    else:
        yield f"*{labels['plenary_no_vote']}*"
        yield ""
    rows = []
    for item in plenary.items:
        text = cell_text(item.heading)
        if item.details:
            text += "<br>" + cell_text(item.details)
        rows.append([f"{item.rank}.", f"{text}<br>*{labels[f'kind_{item.kind}']}*",
                     cell_text(item.workshop), str(item.votes)])
    yield from _table([labels["rank"], labels["item"], labels["workshop"], labels["votes"]],
                      rows, align=("right", "left", "left", "right"), escaped=True)


def _bars(bars: tuple[ChartBar, ...]):
    for bar in bars:
        blocks = "█" * max(1, round(bar.fraction * BAR_BLOCKS))
        yield f"- {bar.rank}. {inline(bar.label)} `{blocks}` **{bar.votes}**"
    yield ""


def _agenda(agenda: tuple[AgendaRow, ...], labels: Labels):
    yield f"## {labels['agenda']}"
    yield ""
    if not agenda:
        yield f"*{labels['no_agenda']}*"
        yield ""
        return
    yield from _table(
        [labels["time"], labels["talk"], labels["speaker"], labels["organisation"]],
        [[item.starts_at or "", item.title, item.speaker or "", item.organisation or ""]
         for item in agenda],
        align=("left", "left", "left", "left"),
    )


def _workshop(workshop: WorkshopReport, authors: bool, labels: Labels):
    figures = workshop.figures
    yield f"### {workshop.number}. {inline(workshop.title)}"
    yield ""
    if workshop.question:
        yield f"**{labels['question']}:** {inline(workshop.question)}"
        yield ""
    if workshop.host:
        yield f"**{labels['host']}:** {inline(workshop.host)}  "
    yield (f"{labels['participants']}: {figures.participants} · "
           f"{labels['ideas']}: {figures.ideas} · {labels['votes']}: {figures.votes} · "
           f"{labels['actions']}: {figures.actions}  ")
    yield f"{labels['steps']}: {labels.step_names(workshop.steps)}"
    yield ""
    yield f"#### {labels['vote_chart']}"
    yield ""
    if workshop.chart:
        yield from _bars(workshop.chart)
    else:
        yield f"*{labels['no_votes']}*"
        yield ""
    for cluster in workshop.clusters:
        yield (f"#### {labels['cluster']} {cluster.rank}: {inline(cluster.title)} "
               f"({labels.count_votes(cluster.votes)})")
        yield ""
        yield from _ranked(cluster.ideas, authors, labels)
    yield f"#### {labels['unclustered'] if workshop.clusters else labels['ideas_ranked']}"
    yield ""
    if workshop.unclustered:
        yield from _ranked(workshop.unclustered, authors, labels)
    elif not workshop.ideas:
        yield f"*{labels['no_ideas']}*"
        yield ""
    yield f"#### {labels['actions']}"
    yield ""
    if not workshop.actions:
        yield f"*{labels['no_actions']}*"
        yield ""
        return
    yield from _table(
        [labels["action"], labels["owner"], labels["contributors"], labels["due"]],
        [[cell_text(_action_text(action, labels)), cell_text(action.owner or ""),
          cell_text(labels.contributors_of(action)), labels.format_short_day(action.due)]
         for action in workshop.actions],
        align=("left", "left", "left", "left"), escaped=True,
    )


def _action_text(action, labels: Labels) -> str:
    parts = [action.title, action.description or ""]
    if action.prospects:
        parts.append(f"{labels['prospects']}: {action.prospects}")
    if action.source:
        parts.append(f"{labels['source']}: {action.source}")
    return "\n".join(part for part in parts if part)


def _idea_cell(idea, labels: Labels) -> str:
    text = cell_text(idea.text)
    return f"{text} *({labels['redacted']})*" if idea.redacted else text


def _ranked(entries, authors: bool, labels: Labels):
    header = [labels["rank"], labels["idea"]] + ([labels["author"]] if authors else [])
    rows = []
    for entry in entries:
        author = [cell_text(labels.format_author(entry.idea.author))] if authors else []
        rows.append([f"{entry.rank}.", _idea_cell(entry.idea, labels), *author,
                     str(entry.idea.votes)])
    align = ("right", "left") + (("left",) if authors else ()) + ("right",)
    yield from _table([*header, labels["votes"]], rows, align=align, escaped=True)


def _review(report: EventReport, labels: Labels):
    """The earlier forums' actions reviewed here: status, verdicts, comments without names."""
    yield f"## {labels['review']}"
    yield ""
    yield f"*{labels['review_intro']}*"
    yield ""
    header = [labels["action"], labels["review_forum"], labels["review_status"],
              *(name for name, _ in labels.review_counts(report.review[0]))]
    rows = [[row.title, row.forum or "", labels.status_name(row.status),
             *(str(count) for _, count in labels.review_counts(row))] for row in report.review]
    yield from _table(header, rows, align=("left", "left", "left") + ("right",) * 4)
    for row in report.review:
        if not row.comments:
            continue
        yield f"**{inline(row.title)}** — {labels['review_comments']}:"
        yield ""
        for comment in row.comments:
            yield f"- „{inline(comment.text)}“ ({labels.verdict(comment.verdict)})"
        yield ""
def _register(report: EventReport, labels: Labels):
    """The series' action register as it stood at the end of the forum."""
    yield f"## {labels['register']}"
    yield ""
    yield labels["register_intro"]
    yield ""
    header = [labels["action"], labels["register_forum"], labels["register_status"],
              labels["owner"], labels["organisation"], labels["due"],
              labels["register_latest"], labels["register_decision"]]
    rows = [[row.title, row.event, labels.status_name(row.status), row.owner or "",
             row.organisation or "", labels.format_short_day(row.due) if row.due else "",
             labels.latest_update(row), labels.decision(row.decision)]
            for row in report.register]
    yield from _table(header, rows, align=("left",) * len(header))


def _appendix(report: EventReport, labels: Labels):
    authors = report.options.authors
    yield f"## {labels['appendix']}"
    yield ""
    for workshop in report.workshops:
        yield f"### {workshop.number}. {inline(workshop.title)}"
        yield ""
        if not workshop.ideas:
            yield f"*{labels['no_ideas']}*"
            yield ""
            continue
        header = ([labels["number"], labels["idea"]] + ([labels["author"]] if authors else [])
                  + [labels["category"], labels["cluster"], labels["votes"], labels["time"]])
        rows = [[str(idea.number), _idea_cell(idea, labels),
                 *([cell_text(labels.format_author(idea.author))] if authors else []),
                 cell_text(idea.category or ""), cell_text(idea.cluster or ""),
                 str(idea.votes), labels.format_time(idea.created_at)]
                for idea in workshop.ideas]
        align = ("right", "left") + (("left",) if authors else ()) + (
            "left", "left", "right", "left")
        yield from _table(header, rows, align=align, escaped=True)


def _table(header: list[str], rows: list[list[str]], align: tuple[str, ...],
           escaped: bool = False):
    """A table; cells are escaped here unless the caller ``escaped`` them already."""
    yield "| " + " | ".join(header) + " |"
    yield "|" + "|".join("---:" if side == "right" else "---" for side in align) + "|"
    for row in rows:
        cells = row if escaped else [cell_text(cell) for cell in row]
        yield "| " + " | ".join(cell or " " for cell in cells) + " |"
    yield ""


def inline(text: str) -> str:
    """User text for a heading or one line: markup escaped, line breaks become spaces."""
    return " ".join(_escape_line(line) for line in _lines_of(text))


def cell_text(text: str) -> str:
    """User text for a table cell: markup and ``|`` escaped, line breaks become ``<br>``."""
    return "<br>".join(_escape_line(line) for line in _lines_of(text))


def paragraph(text: str) -> str:
    """User text as a paragraph that keeps its line breaks."""
    return "  \n".join(_escape_line(line) for line in _lines_of(text))


def _lines_of(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _escape_line(line: str) -> str:
    escaped = _INLINE.sub(r"\\\1", html.escape(line, quote=False))
    return _BLOCK_START.sub(_escape_block_start, escaped, count=1)


def _escape_block_start(match: re.Match) -> str:
    marker = match.group(1)
    return marker[:-1] + "\\" + marker[-1]
