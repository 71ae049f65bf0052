"""Results reports of an event.

- :mod:`pinnwand.reports.model` – the one report model (dataclasses) and everything derived from it;
- :mod:`pinnwand.reports.reader` – reads it from the database;
- :mod:`pinnwand.reports.archive` – the JSON archive, written and read back;
- :mod:`pinnwand.reports.render` and ``formats/`` – PDF, DOCX, Markdown, CSV, XLSX, JSON;
  :mod:`pinnwand.reports.html` – the HTML of the PDF, the preview and the published page;
- :mod:`pinnwand.reports.worker` – rendering off the event loop (a worker process for PDF/DOCX);
- :mod:`pinnwand.reports.services`, ``views``, ``pages`` – settings, redactions, publishing, routes.
"""
