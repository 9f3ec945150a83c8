"""Which requests the generator makes: with faults enabled (the default), a share of them is
invalid in the ways clients get requests wrong, and several faults may meet in one request;
without them (--valid-only), every request is well formed, so that what is compared is the
semantics of valid requests: items, expressions, conditions, paging, batches and transactions.

Semantic errors that arise from the data (a condition on a value of another type, an update of
a path that does not exist in the item) still occur in valid-only runs: they depend on what is
stored, and that is part of what the tester compares.
"""

enabled = True


def set_enabled(value):
    global enabled
    enabled = value
