"""Records in and out: file formats, importing, exporting and citations.

A format is one module with a ``FORMAT`` (``format.py`` says what it offers),
listed in ``registry.py``: ``jsonl`` (native), ``csv``, ``bibtex``, ``ris``,
``csljson``. They all read into and write from native records (``native.py``);
the citation managers' three share ``bibliographic.py`` (titles, creators,
dates), ``names.py`` and ``resource_types.py``, and ``csl.py`` maps a record to
a CSL item for ``csljson`` and for ``citations.py``. Importing is
``importing.py`` (with ``matching.py``, ``vocabulary.py`` and ``saving.py``);
exporting is ``exporting.py``. docs/formats.md describes them for users.
"""
