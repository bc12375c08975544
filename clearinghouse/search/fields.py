"""What the full-text index holds for each resource, and how much each field counts.

Every backend indexes these fields, in this order, and ranks with these weights.
"""

FIELD_WEIGHTS = {
    "title": 10.0,
    "keywords": 6.0,
    "topics": 4.0,
    "publishers": 4.0,
    "summary": 3.0,
    "body": 1.0,
}
FIELDS = tuple(FIELD_WEIGHTS)
