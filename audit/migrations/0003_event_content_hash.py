"""Every event carries the SHA-256 of its canonical content, computed by the database.

One SQL function, ``audit_event_content_hash``, defines the canonical form; a BEFORE INSERT
trigger fills ``content_hash`` with it, so rows written by the portal, by COPY bulk loads and
by hand all get the same hash, and verification recomputes it with the very same function.
docs/audit-trail.md states the canonical form so an outside party can recompute it.

Events written before this migration are given their hash once, with triggers off for that
statement only (the table refuses UPDATE otherwise).
"""

from django.db import migrations

HASH_ARGUMENTS = (
    "id bigint, at timestamptz, recorded_at timestamptz, actor_type text, actor_id text, "
    "actor_role text, actor_user_id bigint, office_id bigint, action text, target_type text, "
    "target_id text, ip inet, user_agent text, request_id text, details jsonb, source text, "
    "txid bigint, import_key bytea"
)

FORWARD = f"""
CREATE FUNCTION audit_event_content_hash({HASH_ARGUMENTS}) RETURNS bytea
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT sha256(convert_to(jsonb_build_array(
        'audit-event-v1',
        id,
        to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        actor_type, actor_id, actor_role, actor_user_id, office_id, action,
        target_type, target_id, host(ip), user_agent, request_id, details, source, txid,
        encode(import_key, 'hex')
    )::text, 'UTF8'))
$$;

CREATE FUNCTION audit_event_set_content_hash() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.content_hash := audit_event_content_hash(
        NEW.id, NEW.at, NEW.recorded_at, NEW.actor_type, NEW.actor_id, NEW.actor_role,
        NEW.actor_user_id, NEW.office_id, NEW.action, NEW.target_type, NEW.target_id, NEW.ip,
        NEW.user_agent, NEW.request_id, NEW.details, NEW.source, NEW.txid, NEW.import_key);
    RETURN NEW;
END $$;

CREATE TRIGGER audit_event_content_hash BEFORE INSERT ON audit_event
    FOR EACH ROW EXECUTE FUNCTION audit_event_set_content_hash();

-- Sealing and verification walk the trail in (txid, id) order.
CREATE INDEX audit_event_txid_id ON audit_event (txid, id);
DROP INDEX audit_event_txid;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM audit_event WHERE content_hash IS NULL) THEN
        SET LOCAL session_replication_role = replica;
        UPDATE audit_event SET content_hash = audit_event_content_hash(
            id, at, recorded_at, actor_type, actor_id, actor_role, actor_user_id, office_id,
            action, target_type, target_id, ip, user_agent, request_id, details, source, txid,
            import_key)
        WHERE content_hash IS NULL;
        SET LOCAL session_replication_role = origin;
    END IF;
END $$;
"""

BACKWARD = f"""
CREATE INDEX audit_event_txid ON audit_event (txid);
DROP INDEX audit_event_txid_id;
DROP TRIGGER audit_event_content_hash ON audit_event;
DROP FUNCTION audit_event_set_content_hash();
DROP FUNCTION audit_event_content_hash({HASH_ARGUMENTS});
"""


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0002_event_import_key"),
    ]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
