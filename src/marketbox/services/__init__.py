"""Use cases. Each public coroutine runs in exactly one transaction and returns domain objects."""
