"""The backstop finds the transaction's application event by its key, in one partition.

The content-hash trigger now also notes, in a transaction-local setting, where the
transaction's last application event lies (its time in UTC and its id). The backstop looks
that event up by the primary key ``(id, at)``, which touches one month's partition, before it
falls back to asking by transaction, which probes the ``(txid, id)`` index of every month's
partition: twice per booking (the booking and its slot), that probe was most of what the
trail added to a booking. The setting is only a pointer: the event must be there, of this
transaction and from the application, so a forged one passes nothing unseen.
"""

from django.db import migrations

from audit.backstop import FUNCTION_SQL

SET_HASH_SQL = """
CREATE OR REPLACE FUNCTION audit_event_set_content_hash() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.content_hash := audit_event_content_hash(
        NEW.id, NEW.at, NEW.recorded_at, NEW.actor_type, NEW.actor_id, NEW.actor_role,
        NEW.actor_user_id, NEW.office_id, NEW.action, NEW.target_type, NEW.target_id, NEW.ip,
        NEW.user_agent, NEW.request_id, NEW.details, NEW.source, NEW.txid, NEW.import_key);
    {pointer}RETURN NEW;
END $$;
"""

POINTER_SQL = """IF NEW.source = 'app' THEN
        PERFORM set_config('audit.app_event', to_char(NEW.at AT TIME ZONE 'UTC',
                           'YYYY-MM-DD HH24:MI:SS.US') || '|' || NEW.id, true);
    END IF;
    """


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0012_event_import_key_by_time"),
    ]

    # The backstop function's text lives in audit/backstop.py; the pointer it reads is only a
    # shortcut, so reversing this migration leaves it in place, harmlessly, beside the old
    # trigger function.
    operations = [
        migrations.RunSQL(SET_HASH_SQL.replace("{pointer}", POINTER_SQL), SET_HASH_SQL.replace("{pointer}", "")),
        migrations.RunSQL(FUNCTION_SQL, migrations.RunSQL.noop),
    ]
