# The search index is not a Django model: it is a derived table owned by the
# backend (see backends/). This module exists so that Django sends this app the
# pre_migrate and post_migrate signals that keep the index's triggers in place.
