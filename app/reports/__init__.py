"""Results reports of an event: one report model (:mod:`app.reports.model`) rendered into
PDF, DOCX, Markdown, CSV, XLSX and JSON (:mod:`app.reports.render`)."""
