"""Rules the database holds for cases: status moves only along the allowed path, notes never change.

The service checks the same table first to answer with a clear message; the trigger makes
sure no other path (raw SQL, a future bug) can jump a case from open to closed or rewrite
a note.
"""

from django.db import migrations

CASE_RULES = """
CREATE FUNCTION detection_case_status_move() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status = OLD.status THEN
        RETURN NEW;
    END IF;
    IF (OLD.status, NEW.status) IN (('OPEN', 'INVESTIGATING'), ('INVESTIGATING', 'SUBSTANTIATED'),
                                    ('INVESTIGATING', 'UNFOUNDED'), ('SUBSTANTIATED', 'CLOSED'),
                                    ('UNFOUNDED', 'CLOSED')) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'case % cannot move from % to %', OLD.id, OLD.status, NEW.status
        USING ERRCODE = 'check_violation', CONSTRAINT = 'detection_case_status_path';
END $$;

CREATE TRIGGER detection_case_status_path BEFORE UPDATE OF status ON detection_case
    FOR EACH ROW EXECUTE FUNCTION detection_case_status_move();

CREATE FUNCTION detection_casenote_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'case notes are never changed or deleted'
        USING ERRCODE = 'check_violation', CONSTRAINT = 'detection_casenote_append_only';
END $$;

CREATE TRIGGER detection_casenote_append_only BEFORE UPDATE OR DELETE ON detection_casenote
    FOR EACH ROW EXECUTE FUNCTION detection_casenote_refuse_change();
"""

DROP_CASE_RULES = """
DROP TRIGGER detection_casenote_append_only ON detection_casenote;
DROP FUNCTION detection_casenote_refuse_change();
DROP TRIGGER detection_case_status_path ON detection_case;
DROP FUNCTION detection_case_status_move();
"""


class Migration(migrations.Migration):

    dependencies = [("detection", "0001_initial")]

    operations = [migrations.RunSQL(CASE_RULES, DROP_CASE_RULES)]
