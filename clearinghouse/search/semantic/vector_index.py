"""Nearest records to a query vector: every stored vector in one matrix.

The index is exact brute force: one matrix product over all vectors (or only
those of the records a search may return), kept in each process's memory and
read from the database, its one source. Measured in docs/benchmarks.md: at
100,000 vectors a query costs a few milliseconds, and being exact it keeps
every filter exact; an approximate index (HNSW) misses neighbours when a
filter leaves few candidates, and must be rebuilt by a single writer.

A process refreshes its copy when ``VectorVersion`` moved: the rows added
since are read, those gone are dropped; no request re-reads all vectors.
Visibility is never the index's business: callers pass the records the
viewer may see, or intersect what comes back with them.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import numpy as np

from clearinghouse.search.semantic import model_files
from clearinghouse.search.semantic.models import Embedding
from clearinghouse.search.semantic.storage import current_version, from_blobs

FIELDS = ("title", "summary", "chunk")
READ_BATCH = 5000


@dataclass
class Matches:
    """Per-record best similarity of each field (NaN where a record lacks it)."""

    resource_ids: np.ndarray  # int64, ascending
    best: np.ndarray  # float32, (records, len(FIELDS))


@dataclass(frozen=True)
class Vectors:
    """The stored vectors at one moment: one row each, in matching arrays.

    Replaced whole, never changed in place, so a search running in another
    thread while the index catches up sees one consistent snapshot.
    """

    row_ids: np.ndarray  # Embedding ids
    resources: np.ndarray  # their records' ids
    fields: np.ndarray  # int8, an index into FIELDS
    matrix: np.ndarray  # float32, (rows, DIMENSIONS), unit rows
    records: np.ndarray = field(init=False)  # distinct resource ids, ascending
    slots: np.ndarray = field(init=False)  # each row's index into ``records``

    def __post_init__(self) -> None:
        records, slots = np.unique(self.resources, return_inverse=True)
        object.__setattr__(self, "records", records)
        object.__setattr__(self, "slots", slots)

    @classmethod
    def empty(cls) -> Vectors:
        return cls(
            np.zeros(0, dtype=np.int64),
            np.zeros(0, dtype=np.int64),
            np.zeros(0, dtype=np.int8),
            np.zeros((0, model_files.DIMENSIONS), dtype=np.float32),
        )


class VectorIndex:
    """The stored vectors of one model, for exact similarity search."""

    def __init__(self, model: str) -> None:
        self.model = model
        self.version: str | None = None
        self.vectors = Vectors.empty()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.vectors.row_ids)

    def refresh(self) -> None:
        """Catch up with the database if its vectors changed."""
        version = current_version()
        if version == self.version:
            return
        with self._lock:
            if version == "":  # nothing was ever stored: nothing to read
                self.vectors = Vectors.empty()
            elif version != self.version:
                self.vectors = _caught_up(self.vectors, self.model)
            self.version = version

    def vector_of(self, resource_id: int) -> np.ndarray | None:
        """A record's summary vector (its title's when it has no summary)."""
        v = self.vectors
        rows = np.flatnonzero(v.resources == resource_id)
        for number in (FIELDS.index("summary"), FIELDS.index("title")):
            chosen = rows[v.fields[rows] == number]
            if len(chosen):
                return v.matrix[chosen[0]]
        return None

    def matches(self, query: np.ndarray, among: np.ndarray | None = None) -> Matches:
        """Each record's best similarity to ``query`` per field; only the
        records in ``among`` (resource ids) when given."""
        v = self.vectors
        if among is None:
            similarity = v.matrix @ query
            slots, fields = v.slots, v.fields
        else:
            rows = np.flatnonzero(np.isin(v.resources, among))
            similarity = v.matrix[rows] @ query
            slots, fields = v.slots[rows], v.fields[rows]
        best = np.full((len(v.records), len(FIELDS)), -np.inf, dtype=np.float32)
        np.maximum.at(best, (slots, fields), similarity)
        present = np.isfinite(best).any(axis=1)
        best[np.isneginf(best)] = np.nan
        return Matches(v.records[present], best[present])


def _caught_up(old: Vectors, model: str) -> Vectors:
    """``old`` less the rows deleted since, plus the rows added since."""
    stored = np.fromiter(
        Embedding.objects.filter(model=model)
        .order_by("pk")
        .values_list("pk", flat=True),
        dtype=np.int64,
    )
    keep = np.isin(old.row_ids, stored)
    new = _read_rows(stored[~np.isin(stored, old.row_ids)].tolist())
    return Vectors(
        np.concatenate([old.row_ids[keep], new.row_ids]),
        np.concatenate([old.resources[keep], new.resources]),
        np.concatenate([old.fields[keep], new.fields]),
        np.concatenate([old.matrix[keep], new.matrix]),
    )


def _read_rows(ids: list[int]) -> Vectors:
    """The stored rows with these ids."""
    row_ids, resources, fields, blobs = [], [], [], []
    for start in range(0, len(ids), READ_BATCH):
        for pk, resource, name, vector in Embedding.objects.filter(
            pk__in=ids[start : start + READ_BATCH]
        ).values_list("pk", "resource_id", "field", "vector"):
            row_ids.append(pk)
            resources.append(resource)
            fields.append(FIELDS.index(name))
            blobs.append(bytes(vector))
    return Vectors(
        np.array(row_ids, dtype=np.int64),
        np.array(resources, dtype=np.int64),
        np.array(fields, dtype=np.int8),
        from_blobs(blobs, model_files.DIMENSIONS),
    )


_lock = threading.Lock()
_indexes: dict[str, VectorIndex] = {}


def get_index(model: str) -> VectorIndex:
    """This process's index of ``model``'s vectors, brought up to date."""
    with _lock:
        index = _indexes.setdefault(model, VectorIndex(model))
    index.refresh()
    return index


def forget_indexes() -> None:
    """Drop every in-memory index (tests; a database swapped underneath)."""
    with _lock:
        _indexes.clear()
