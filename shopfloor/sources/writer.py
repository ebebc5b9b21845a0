"""A thread that writes one batch of an import while the next batch is being prepared.

PostgreSQL ingests a ``COPY`` (and checks its foreign keys) in the server's own process;
while it does, this process would only wait. Handing the batch to a thread lets the import
go on reading rows meanwhile. The thread uses the driver's connection of the import's
transaction, and never at the same time as the import's own thread: every query the import
thread makes through Django first waits for the batch in flight (an execute wrapper), and
so does the end of the transaction.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable


class BatchWriter:
    """Runs one write job at a time, in the background or (``background=False``) inline."""

    def __init__(self, *, background: bool) -> None:
        self.background = background
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    def submit(self, job: Callable[[], None]) -> None:
        """Run ``job`` after the one before it; an error surfaces at the next wait."""
        self.wait()
        if not self.background:
            job()
            return
        self._thread = threading.Thread(target=self._run, args=(job,), daemon=True,
                                        name="import-writer")
        self._thread.start()

    def _run(self, job: Callable[[], None]) -> None:
        try:
            job()
        except BaseException as exc:  # noqa: BLE001 - re-raised in the import's thread
            self._error = exc

    def wait(self) -> None:
        """Block until the job in flight is written; raise its error, if any."""
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def abandon(self) -> None:
        """Wait for the job in flight and drop its error: the import failed already and
        its transaction is being rolled back."""
        with contextlib.suppress(BaseException):  # the first error is the one reported
            self.wait()

    def before_query(self, execute, sql, params, many, context):
        """Django execute wrapper: the import's own queries wait for the batch in flight."""
        self.wait()
        return execute(sql, params, many, context)
