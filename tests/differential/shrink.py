"""Shrinking a failing step sequence to a short one that still fails.

shrink(steps, fails, budget): `steps` ends with the step that fails and `fails(candidate)` says
whether a candidate (which always ends with that same last step) still fails. It removes chunks
of the steps before the last one, halving the chunk size whenever no chunk of the current size
can go (the ddmin scheme of delta debugging), until single steps cannot be removed or `budget`
calls of `fails` are spent. The result is 1-minimal when the budget suffices: removing any one
of its earlier steps makes it pass.
"""


def shrink(steps, fails, budget):
    if not steps:
        return steps
    prefix, last = list(steps[:-1]), steps[-1]
    calls = 0
    chunk = max(1, len(prefix) // 2)
    while prefix and calls < budget:
        removed = False
        start = 0
        while start < len(prefix) and calls < budget:
            candidate = prefix[:start] + prefix[start + chunk:]
            calls += 1
            if fails(candidate + [last]):
                prefix = candidate
                removed = True
            else:
                start += chunk
        if not removed:
            if chunk == 1:
                break
            chunk = max(1, chunk // 2)
        else:
            chunk = min(chunk, max(1, len(prefix) // 2))
    return prefix + [last]
