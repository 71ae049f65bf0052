"""Results reports of an event.

- :mod:`app.reports.model` – the one report model (dataclasses) and everything derived from it;
- :mod:`app.reports.reader` – reads it from the database;
- :mod:`app.reports.archive` – the JSON archive, written and read back;
- :mod:`app.reports.render` and ``formats/`` – PDF, DOCX, Markdown, CSV, XLSX, JSON;
  :mod:`app.reports.html` – the HTML of the PDF, the preview and the published page;
- :mod:`app.reports.worker` – rendering off the event loop (a worker process for PDF/DOCX);
- :mod:`app.reports.services`, ``views``, ``pages`` – settings, redactions, publishing, routes.
"""
