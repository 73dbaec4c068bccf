"""The operations of the ledger. Each takes the session, flushes and never commits:
the caller's one session scope commits once per command, so a failed command writes nothing.
"""
