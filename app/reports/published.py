"""The published results PDF, rendered once per version of a publication and language.

Anyone with a published page's link may download its PDF, and a link passed around a venue is
opened by many at once. The first request renders (as an anonymous reader in the render queue,
:mod:`pinnwand.reports.worker`) and stores the file (:class:`PublishedFile`); requests arriving
meanwhile wait for that same render instead of starting their own; every later one gets the
stored file. Publishing again or deleting personal data changes the publication's ``version``
and deletes its stored files (:func:`discard_files`): nothing stale, nothing with names that
were deleted, is handed out. Withdrawing deletes them too, and deleting the event cascades.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from pinnwand.reports.models import Publication, PublishedFile
from sqlalchemy import delete
from sqlalchemy.orm import Session, defer

WAIT_SECONDS = 900.0  # a reader waits at most this long for another reader's render


@dataclass
class StoredPdf:
    """A published PDF as it is handed out."""

    body: bytes
    filename: str


def stored_pdf(session: Session, publication_id: int, lang: str,
               version: int) -> StoredPdf | None:
    """The PDF stored for this version of the publication in ``lang``, if any."""
    stored = session.get(PublishedFile, (publication_id, lang))
    if stored is None or stored.version != version:
        return None
    return StoredPdf(stored.body, stored.filename)


def store_pdf(session: Session, publication_id: int, lang: str, version: int,
              pdf: StoredPdf) -> bool:
    """Keep a rendered PDF, unless the publication has changed meanwhile; whether it was
    kept."""
    publication = session.get(Publication, publication_id,
                              options=[defer(Publication.snapshot)])
    if publication is None or publication.version != version or publication.withdrawn_at:
        return False
    session.execute(delete(PublishedFile).where(PublishedFile.publication_id == publication_id,
                                                PublishedFile.lang == lang))
    session.add(PublishedFile(publication_id=publication_id, lang=lang, version=version,
                              filename=pdf.filename, body=pdf.body))
    session.flush()
    return True


def discard_files(session: Session, publication_id: int) -> None:
    """Delete every stored file of a publication (it changed, or it was withdrawn)."""
    session.execute(delete(PublishedFile).where(PublishedFile.publication_id == publication_id))


@dataclass
class _Render:
    done: threading.Event = field(default_factory=threading.Event)
    result: StoredPdf | None = None
    error: BaseException | None = None


class PublishedPdfs:
    """One render per (publication, version, language) at a time in this process: requests
    arriving while it runs wait for its result. Build it after the standard library is patched
    (in ``create_app``), so that waiting is cooperative."""

    def __init__(self, db):
        self.db = db
        self._renders: dict[tuple, _Render] = {}
        self._guard = threading.Lock()

    def get(self, publication_id: int, lang: str, version: int, render) -> StoredPdf:
        """The stored PDF, else the one ``render()`` makes (stored for everyone after)."""
        with self.db.read() as session:
            found = stored_pdf(session, publication_id, lang, version)
        if found is not None:
            return found
        key = (publication_id, lang, version)
        with self._guard:
            running = self._renders.get(key)
            leading = running is None
            if leading:
                running = self._renders[key] = _Render()
        if not leading:
            return self._wait(running)
        try:
            running.result = render()
            with self.db.transaction() as session:
                store_pdf(session, publication_id, lang, version, running.result)
            return running.result
        except BaseException as error:
            running.error = error
            raise
        finally:
            running.done.set()
            with self._guard:
                self._renders.pop(key, None)

    @staticmethod
    def _wait(running: _Render) -> StoredPdf:
        if not running.done.wait(WAIT_SECONDS):
            raise TimeoutError("the published PDF took too long to render")
        if running.error is not None:
            raise running.error
        return running.result
