"""Retention may delete a closed case with its notes, and nothing else may.

Notes stay append-only: never changed, and deleted only once their case is gone (retention
deletes the case first, then its notes, in one transaction). A case may be deleted only once
closed, so no path can remove an open investigation or strip notes from a case that remains.
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION detection_casenote_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND NOT EXISTS (SELECT 1 FROM detection_case WHERE id = OLD.case_id) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'case notes are never changed, and deleted only with their case'
        USING ERRCODE = 'check_violation', CONSTRAINT = 'detection_casenote_append_only';
END $$;

CREATE FUNCTION detection_case_refuse_open_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status = 'CLOSED' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'case % is %: only a closed case may be deleted', OLD.id, OLD.status
        USING ERRCODE = 'check_violation', CONSTRAINT = 'detection_case_deleted_once_closed';
END $$;

CREATE TRIGGER detection_case_deleted_once_closed BEFORE DELETE ON detection_case
    FOR EACH ROW EXECUTE FUNCTION detection_case_refuse_open_delete();
"""

REVERSE = """
DROP TRIGGER detection_case_deleted_once_closed ON detection_case;
DROP FUNCTION detection_case_refuse_open_delete();

CREATE OR REPLACE FUNCTION detection_casenote_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'case notes are never changed or deleted'
        USING ERRCODE = 'check_violation', CONSTRAINT = 'detection_casenote_append_only';
END $$;
"""


class Migration(migrations.Migration):

    dependencies = [("detection", "0003_schedule")]

    operations = [migrations.RunSQL(FORWARD, REVERSE)]
