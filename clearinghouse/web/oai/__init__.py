"""The OAI-PMH 2.0 provider at /oai (docs/oai-pmh.md).

The request travels: views.py (GET or POST) → arguments.py (which arguments,
spelled how; errors named as the protocol names them) → verbs.py (the six
verbs) → repository.py (what is published: the anonymous reader's records and
the tombstones of withdrawn ones, with their datestamps and sets from sets.py)
→ formats.py (oai_dc and the native record, one writer module each).
Resumption tokens (tokens.py) are signed and carry their own state, so a
harvest survives a restart of the server.

Specification: http://www.openarchives.org/OAI/2.0/openarchivesprotocol.htm
"""
