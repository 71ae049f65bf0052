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
           "worked", "partly", "not", "unsure")
WIDTHS = {"title": 40, "what": 50, "contributors": 40, "prospects": 40, "latest_note": 50,
          "sources": 40}


def filename(series_title: str, fmt: str) -> str:
    """``<series>-register.<fmt>``."""
    return f"{slugify(series_title) or 'series'}-register.{fmt}"


def rows(entries: list[dict]) -> list[list]:
    """One row per register entry, in :data:`COLUMNS` order."""
    return [_row(entry) for entry in entries]


def _row(entry: dict) -> list:
    latest = entry["updates"][-1] if entry["updates"] else None
    contributors = "; ".join(
        f"{c['name']} ({c['brings']})" if c["brings"] else c["name"]
        for c in entry["contributors"])
    sources = "; ".join([i["text"] for i in entry["sources"]["ideas"]]
                        + [c["title"] for c in entry["sources"]["clusters"]])
    review = entry["review"]
    return [entry["id"], entry["event"]["title"], entry["event"]["date"] or "",
            entry["workshop"]["title"], entry["title"], entry["what"] or "",
            entry["owner"] or "", contributors, entry["due"] or "", entry["prospects"] or "",
            entry["status"], latest["at"] if latest else "",
            (latest["note"] or "") if latest else "", len(entry["updates"]), sources,
            review["worked"], review["partly"], review["not"], review["unsure"]]


def render(fmt: str, series_title: str, entries: list[dict]) -> bytes:
    """The register as ``csv`` or ``xlsx`` bytes."""
    return _csv(entries) if fmt == "csv" else _xlsx(series_title, entries)


def _csv(entries: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows([inert(value) for value in row] for row in rows(entries))
    return buffer.getvalue().encode("utf-8-sig")


def _xlsx(series_title: str, entries: list[dict]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "register"
    book.properties.title = xml_safe(series_title)
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows(entries):
        sheet.append([inert(xml_safe(v)) if isinstance(v, str) else v for v in row])
    for index, name in enumerate(COLUMNS, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = WIDTHS.get(name, 14)
        if name in WIDTHS:
            for cell in sheet[letter][1:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
