"""The SQL that recomputes an event's content hash, shared by sealing and verification.

The one definition lives in the database (``audit_event_content_hash``, see migration 0003);
Python only names its arguments, in the order the function takes them.
"""

HASHED_COLUMNS = (
    "id", "at", "recorded_at", "actor_type", "actor_id", "actor_role", "actor_user_id",
    "office_id", "action", "target_type", "target_id", "ip", "user_agent", "request_id",
    "details", "source", "txid", "import_key",
)
#: Every column of an event row, in table order: archived partitions are read with it.
EVENT_COLUMNS = (*HASHED_COLUMNS, "content_hash")


def content_hash_sql(alias: str = "e") -> str:
    """``audit_event_content_hash(e.id, e.at, …)`` for rows aliased ``alias``."""
    return "audit_event_content_hash({})".format(", ".join(f"{alias}.{c}" for c in HASHED_COLUMNS))
