"""Search by meaning: embeddings of records, the vector index, hybrid fusion.

A Django app of its own (label ``semantic``) so that its tables have their own
migrations; docs/semantic-search.md says what it does for readers and operators.
"""
