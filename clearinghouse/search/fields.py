"""What the full-text index holds for each resource, and how much each field counts.

Every backend indexes these fields, in this order, and ranks with these weights.
FTS5's bm25() multiplies a field's term counts by its weight before they
saturate (k1 = 1.2), so large weights flatten the difference between one
mention and ten: the summary, which carries most of a record's words, counts
1, and the other fields keep their proportions to it (docs/benchmarks.md,
"Relevance", has the measurements).
"""

FIELD_WEIGHTS = {
    "title": 3.3,
    "keywords": 2.0,
    "topics": 1.3,
    "publishers": 1.3,
    "summary": 1.0,
    "body": 0.33,
}
FIELDS = tuple(FIELD_WEIGHTS)
