"""The content-hash trigger fills only a hash the writer left empty.

The portal's own writes leave ``content_hash`` empty and the database computes it, as before.
The records importer supplies it, computed in Python from the very values it COPYs
(``audit.hashing``): computing SHA-256 of the canonical form per row was the costliest step of
a bulk load. Nothing is trusted from a supplied hash: sealing and ``verify_audit`` recompute
every hash from the row's content with ``audit_event_content_hash``, so a wrong one is
reported (``HASH_MISMATCH``) and never sealed.
"""

from django.db import migrations

FORWARD = """
DROP TRIGGER audit_event_content_hash ON audit_event;
CREATE TRIGGER audit_event_content_hash BEFORE INSERT ON audit_event
    FOR EACH ROW WHEN (NEW.content_hash IS NULL) EXECUTE FUNCTION audit_event_set_content_hash();
"""

BACKWARD = """
DROP TRIGGER audit_event_content_hash ON audit_event;
CREATE TRIGGER audit_event_content_hash BEFORE INSERT ON audit_event
    FOR EACH ROW EXECUTE FUNCTION audit_event_set_content_hash();
"""


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0009_backstop_guards_bookings"),
    ]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
