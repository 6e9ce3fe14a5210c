"""PostgreSQL backend for the test suite: the real server, with a flush that may empty the trail.

Transactional tests end with Django's flush (TRUNCATE of every table). The audit trail refuses
TRUNCATE for everyone the triggers apply to, so the flush runs with triggers off for its own
statements only (``session_replication_role = replica``, which needs a superuser, as the test
database's owner is here). Nothing else about the database changes.
"""
