"""The action register as a spreadsheet: CSV (UTF-8 with BOM) and XLSX, one row per action,
formula-like text stored inert. Column names are fixed English keys, like the contact list's,
so scripts can read either file."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from pinnwand.reports.formats.cells import inert, xml_safe
from pinnwand.reports.render import slugify

MIMETYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
COLUMNS = ("id", "event", "event_date", "workshop", "title", "what", "owner", "contributors",
           "due", "prospects", "status", "updated_at", "latest_note", "updates", "sources",
           "worked", "partly", "not", "unsure", "owner_organisation")
ORGANISATION_COLUMNS = ("organisation", "owns", "contributes", "actions")
WIDTHS = {"title": 40, "what": 50, "contributors": 40, "prospects": 40, "latest_note": 50,
          "sources": 40, "owner_organisation": 30, "organisation": 30, "actions": 80}


def filename(series_title: str, fmt: str) -> str:
    """``<series>-register.<fmt>``."""
    return f"{slugify(series_title) or 'series'}-register.{fmt}"


def rows(entries: list[dict]) -> list[list]:
    """One row per register entry, in :data:`COLUMNS` order."""
    return [_row(entry) for entry in entries]


def _row(entry: dict) -> list:
    latest = entry["updates"][-1] if entry["updates"] else None
    contributors = "; ".join(_contributor(c) for c in entry["contributors"])
    sources = "; ".join([i["text"] for i in entry["sources"]["ideas"]]
                        + [c["title"] for c in entry["sources"]["clusters"]])
    review = entry["review"]
    return [entry["id"], entry["event"]["title"], entry["event"]["date"] or "",
            entry["workshop"]["title"], entry["title"], entry["what"] or "",
            entry["owner"] or "", contributors, entry["due"] or "", entry["prospects"] or "",
            entry["status"], latest["at"] if latest else "",
            (latest["note"] or "") if latest else "", len(entry["updates"]), sources,
            review["worked"], review["partly"], review["not"], review["unsure"],
            entry.get("owner_organisation") or ""]


def _contributor(contributor: dict) -> str:
    """``Name, Organisation (brings)``."""
    who = ", ".join(p for p in (contributor["name"], contributor.get("organisation")) if p)
    return f"{who} ({contributor['brings']})" if contributor["brings"] else who


def organisation_rows(members: list[dict]) -> list[list]:
    """One row per organisation, in :data:`ORGANISATION_COLUMNS` order: the actions as
    ``#id title (owner|contributor)``."""
    return [[m["name"], m["owns"], m["contributes"],
             "; ".join(f"#{a['id']} {a['title']} ({a['role']})" for a in m["actions"])]
            for m in members]


def render(fmt: str, series_title: str, entries: list[dict],
           members: list[dict] | None = None) -> bytes:
    """The register as ``csv`` or ``xlsx`` bytes; with ``members`` (see
    :func:`pinnwand.series.organisations.organisations`) also the member contributions: a
    second section of the CSV (after an empty line), a second sheet of the workbook."""
    if fmt == "csv":
        return _csv(entries, members or [])
    return _xlsx(series_title, entries, members or [])


def _csv(entries: list[dict], members: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows([inert(value) for value in row] for row in rows(entries))
    if members:
        writer.writerow([])
        writer.writerow(ORGANISATION_COLUMNS)
        writer.writerows([inert(value) for value in row] for row in organisation_rows(members))
    return buffer.getvalue().encode("utf-8-sig")


def _xlsx(series_title: str, entries: list[dict], members: list[dict]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "register"
    book.properties.title = xml_safe(series_title)
    _fill(sheet, COLUMNS, rows(entries))
    _fill(book.create_sheet("organisations"), ORGANISATION_COLUMNS, organisation_rows(members))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _fill(sheet, columns: tuple[str, ...], values: list[list]) -> None:
    """A sheet with a bold header row, the rows stored inert, wrapped wide columns."""
    sheet.append(list(columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in values:
        sheet.append([inert(xml_safe(v)) if isinstance(v, str) else v for v in row])
    for index, name in enumerate(columns, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = WIDTHS.get(name, 14)
        if name in WIDTHS:
            for cell in sheet[letter][1:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
