"""Extraction in worker processes, under a time limit and a memory bound.

Files from outside may be hostile or just broken: a PDF bomb, a parser bug
that loops, a crash inside PDFium. Each file is therefore read in a worker
process whose address space is capped (``RLIMIT_AS``) and which is killed when
it overruns ``Limits.seconds``; whatever goes wrong becomes an
``ExtractionError`` with a reason, and the caller's process never suffers.

A worker is ``python -m clearinghouse.ingest.isolation``, talking pickles over
its stdin and stdout. A plain subprocess rather than ``multiprocessing``:
spawned processes re-import the caller's main module, which breaks any script
without an ``if __name__ == "__main__"`` guard, and forked ones inherit the
caller's threads and connections.

Workers are long-lived: starting one (an interpreter, PDFium, the language
models) costs about half a second, reading a typical file a few milliseconds.
A worker is replaced after a failure it may not have recovered from (timeout,
crash, memory) and after ``MAX_TASKS_PER_WORKER`` files, so that leaks cannot
build up. Linux and macOS only (``resource``).
"""

import os
import resource
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from multiprocessing.connection import Connection, wait
from pathlib import Path

import clearinghouse
from clearinghouse.ingest.analysis import (
    VocabularyLists,
    analyse,
    build_vocabulary,
    fingerprint,
)
from clearinghouse.ingest.extraction import (
    DEFAULT_LIMITS,
    Extraction,
    ExtractionError,
    Limits,
    describe,
    extract,
)
from clearinghouse.ingest.sniff import Refused

#: Files a worker reads before it is replaced by a fresh one.
MAX_TASKS_PER_WORKER = 1000
# Freed when memory runs out, so that the worker can still report it.
_RESERVE_BYTES = 4 * 1024 * 1024

Task = str | Path | tuple[str | Path, str | None]
Outcome = Extraction | ExtractionError | Refused


def extract_isolated(
    path: str | Path,
    media_type: str | None = None,
    *,
    limits: Limits = DEFAULT_LIMITS,
    vocabulary: VocabularyLists | None = None,
) -> Extraction:
    """``extract()`` in a worker process, under ``limits.seconds`` and
    ``limits.memory_mb``; raises ``ExtractionError`` (or ``Refused`` when
    sniffing refuses the file) whatever goes wrong in the worker. With a
    ``vocabulary`` (``analysis.vocabulary_lists()``), the worker also makes
    the suggestions and signature (``analysis.analyse``).

    Reuses one worker kept for the life of this process, so that a task
    runner calling it once per file pays the start-up cost once; calls from
    several threads take turns.
    """
    global _shared_worker
    with _shared_lock:
        # A forked process (a server's worker) must not share its parent's.
        if (
            _shared_worker is None
            or _shared_worker.retired
            or _shared_worker.owner != os.getpid()
        ):
            _shared_worker = _Worker()
        _shared_worker.send(path, media_type, limits, _keyed(vocabulary))
        _shared_worker.conn.poll(_shared_worker.seconds_left())
        outcome = _shared_worker.collect()
    if isinstance(outcome, Exception):
        raise outcome
    return outcome


def extract_many(
    tasks: Iterable[Task],
    *,
    workers: int = 2,
    limits: Limits = DEFAULT_LIMITS,
    vocabulary: VocabularyLists | None = None,
) -> Iterator[tuple[Path, Outcome]]:
    """Read files ``workers`` at a time, yielding ``(path, outcome)`` in the
    order they finish; the outcome is an ``Extraction`` (analysed when a
    ``vocabulary`` is given), or the ``ExtractionError`` or ``Refused`` that
    explains the failure.

    A task is a path, or a ``(path, media_type)`` pair when the type is known.
    Tasks are taken from the iterable only as workers become free, so a
    generator may do its own work (checking, storing) between files.
    """
    queue = iter(tasks)
    keyed = _keyed(vocabulary)
    pool = [_Worker() for _ in range(max(1, workers))]
    try:
        idle, busy = list(pool), []
        while True:
            while idle and (task := next(queue, None)) is not None:
                worker = idle.pop()
                worker.send(*_task(task), limits, keyed)
                busy.append(worker)
            if not busy:
                return
            for worker in _wait_any(busy):
                busy.remove(worker)
                yield worker.path, worker.collect()
                if worker.retired:
                    pool[pool.index(worker)] = worker = _Worker()
                idle.append(worker)
    finally:
        for worker in pool:
            worker.stop()


def shutdown() -> None:
    """Stop the worker kept by ``extract_isolated`` (one starts again when
    needed)."""
    global _shared_worker
    with _shared_lock:
        if _shared_worker is not None:
            _shared_worker.stop()
            _shared_worker = None


class _Worker:
    """One worker process and the file it is reading, if any."""

    def __init__(self) -> None:
        # The checkout's root goes first on the path, so that a worker finds
        # this very package whether or not it is installed.
        root = str(Path(clearinghouse.__file__).resolve().parents[1])
        python_path = os.pathsep.join(filter(None, [root, os.getenv("PYTHONPATH")]))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "clearinghouse.ingest.isolation"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": python_path},
        )
        assert self.process.stdin and self.process.stdout
        self.conn = Connection(os.dup(self.process.stdout.fileno()), writable=False)
        self._sender = Connection(os.dup(self.process.stdin.fileno()), readable=False)
        self.process.stdin.close()
        self.process.stdout.close()
        self.owner = os.getpid()
        self.ready = False
        self.retired = False
        self.tasks = 0
        self.path = Path()
        self.limits = DEFAULT_LIMITS
        self.deadline = 0.0
        self.vocabulary_key: str | None = None

    def send(
        self,
        path: str | Path,
        media_type: str | None,
        limits: Limits,
        vocabulary: tuple[str, VocabularyLists] | None = None,
    ) -> None:
        """Start reading ``path``; the clock starts once the worker is up."""
        if not self.ready:
            self._wait_ready()
        self.path, self.limits = Path(path), limits
        self.tasks += 1
        try:
            key = vocabulary[0] if vocabulary else None
            if vocabulary and key != self.vocabulary_key:
                self._sender.send(("vocabulary", *vocabulary))
                self.vocabulary_key = key
            self.deadline = time.monotonic() + limits.seconds
            self._sender.send(("read", str(path), media_type, limits, bool(key)))
        except OSError:  # the worker died: collect() says how
            self.deadline = 0.0

    def seconds_left(self) -> float:
        return max(0.0, self.deadline - time.monotonic())

    def collect(self) -> Outcome:
        """The outcome of the file sent, once the worker answered, died, or
        ran out of time (it is then killed)."""
        if not self.conn.poll(0):
            self.stop()
            return ExtractionError(f"took longer than {self.limits.seconds:g} s")
        try:
            kind, value = self.conn.recv()
        except (EOFError, OSError):
            self.stop()
            return ExtractionError(_death(self.process, self.limits))
        if kind == "memory":
            self.stop()
            value = ExtractionError(
                f"needed more than {self.limits.memory_mb} MB of memory"
            )
        elif self.tasks >= MAX_TASKS_PER_WORKER:
            self.stop()
        return value

    def stop(self) -> None:
        self.retired = True
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        self.conn.close()
        self._sender.close()

    def _wait_ready(self) -> None:
        try:
            self.conn.recv()
        except (EOFError, OSError) as exc:
            self.stop()
            raise RuntimeError(
                f"the extraction worker could not start: {_death(self.process, None)}"
            ) from exc
        self.ready = True


def _task(task: Task) -> tuple[str | Path, str | None]:
    return task if isinstance(task, tuple) else (task, None)


def _keyed(vocabulary: VocabularyLists | None) -> tuple[str, VocabularyLists] | None:
    return (fingerprint(vocabulary), vocabulary) if vocabulary is not None else None


def _wait_any(busy: list[_Worker]) -> list[_Worker]:
    """The busy workers that answered, died or ran out of time."""
    ready = set(wait([w.conn for w in busy], min(w.seconds_left() for w in busy)))
    return [w for w in busy if w.conn in ready or not w.seconds_left()]


def _death(process: subprocess.Popen, limits: Limits | None) -> str:
    code = process.wait()
    if code == -signal.SIGABRT and limits is not None:
        # PDFium, like any C++ code, aborts when an allocation fails; under
        # the address-space bound that is by far the likeliest abort.
        return (
            f"needed more than {limits.memory_mb} MB of memory "
            "(the extractor aborted when an allocation failed)"
        )
    if code < 0:
        name = signal.Signals(-code).name
        return f"the extractor crashed (signal {-code}, {name})"
    return f"the extractor stopped unexpectedly (exit status {code})"


def _serve() -> None:
    """A worker's loop: read each file sent on stdin, answer on stdout."""
    receiver = Connection(os.dup(0), writable=False)
    sender = Connection(os.dup(1), readable=False)
    # Stray prints from libraries must not corrupt the answers: fd 1 now
    # goes to stderr, and only ``sender`` writes to the parent.
    os.dup2(2, 1)
    _load_everything()
    sender.send(("ready", None))
    vocabulary = None
    while True:
        try:
            message = receiver.recv()
        except EOFError:  # the parent is gone
            return
        if message[0] == "vocabulary":
            # Built outside the memory bound, once per change of catalog.
            vocabulary = build_vocabulary(message[2])
            continue
        _, path, media_type, limits, analyse_too = message
        kind, value = _extract_bounded(
            path, media_type, limits, vocabulary if analyse_too else None
        )
        try:
            sender.send((kind, value))
        except MemoryError:
            kind = "memory"
            sender.send((kind, None))
        if kind == "memory":
            return  # the heap may be in a bad state: a fresh worker goes on


def _load_everything() -> None:
    """Import every reader and load the language models now, before any
    memory bound: a library that fails to load under the bound would look
    like a broken file."""
    from clearinghouse.ingest.language import detect_language
    from clearinghouse.ingest.readers import READERS, reader_for

    for media_type in READERS:
        reader_for(media_type)
    detect_language("warm up the language models before the first file " * 2)


def _extract_bounded(
    path: str, media_type: str | None, limits: Limits, vocabulary
) -> tuple:
    reserve = bytearray(_RESERVE_BYTES)
    _limit_memory(limits.memory_mb)
    try:
        extraction = extract(path, media_type, limits=limits)
        if vocabulary is not None:
            analyse(extraction, vocabulary)
        return "done", extraction
    except (ExtractionError, Refused) as exc:
        return "done", exc
    except MemoryError:
        del reserve
        return "memory", None
    except Exception as exc:  # noqa: BLE001 - a bug must still give a reason
        return "done", ExtractionError(f"the extractor failed: {describe(exc)}")
    finally:
        _limit_memory(None)


def _limit_memory(megabytes: int | None) -> None:
    # Only the soft limit moves, so that it can be raised again between files.
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    soft = hard if megabytes is None else megabytes * 1024 * 1024
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


_shared_lock = threading.Lock()
_shared_worker: _Worker | None = None

if __name__ == "__main__":
    _serve()
