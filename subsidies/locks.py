"""Transaction-scoped locks: PostgreSQL advisory locks, a no-op elsewhere (SQLite serialises)."""

from django.db import connection

# Arbitrary fixed keys, one per kind of serialised write.
BATCH_GENERATE_LOCK = 0x53554247  # "SUBG"
RATE_LOCK = 0x53554252  # "SUBR"


def advisory_xact_lock(key: int) -> None:
    """Wait for the lock ``key``; it is released when the current transaction ends."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])
