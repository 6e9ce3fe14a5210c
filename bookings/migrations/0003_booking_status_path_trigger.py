"""The database refuses status changes off the counter path, whoever writes them.

Allowed: forward along BOOKED → CHECKED_IN → DOCUMENTS_VERIFIED → BIOMETRICS_CAPTURED →
INTERVIEWED → APPROVED → PRINTED → ISSUED (an office head's override may skip ahead);
REJECTED from a status in process; CANCELLED and NO_SHOW from BOOKED. Nothing leaves
ISSUED, REJECTED, CANCELLED or NO_SHOW, and nothing goes back. Imported history is
exempt (it is kept as it was); unknown statuses are left to the check constraint.
"""

from django.db import migrations

FORWARD = """
CREATE FUNCTION bookings_booking_status_path() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    path text[] := ARRAY['BOOKED', 'CHECKED_IN', 'DOCUMENTS_VERIFIED', 'BIOMETRICS_CAPTURED',
                         'INTERVIEWED', 'APPROVED', 'PRINTED', 'ISSUED'];
    old_pos integer := array_position(path, OLD.status::text);
    new_pos integer := array_position(path, NEW.status::text);
BEGIN
    IF NEW.status = OLD.status OR NEW.imported THEN
        RETURN NEW;
    END IF;
    IF NEW.status NOT IN ('BOOKED', 'CHECKED_IN', 'DOCUMENTS_VERIFIED', 'BIOMETRICS_CAPTURED',
                          'INTERVIEWED', 'APPROVED', 'PRINTED', 'ISSUED', 'REJECTED', 'CANCELLED',
                          'NO_SHOW') THEN
        RETURN NEW;
    END IF;
    IF NEW.status IN ('CANCELLED', 'NO_SHOW') AND OLD.status = 'BOOKED' THEN
        RETURN NEW;
    END IF;
    IF NEW.status = 'REJECTED'
       AND OLD.status IN ('CHECKED_IN', 'DOCUMENTS_VERIFIED', 'BIOMETRICS_CAPTURED', 'INTERVIEWED') THEN
        RETURN NEW;
    END IF;
    IF old_pos IS NOT NULL AND new_pos IS NOT NULL AND new_pos > old_pos THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'booking % cannot go from % to %', OLD.code, OLD.status, NEW.status
        USING ERRCODE = 'check_violation', CONSTRAINT = 'booking_status_path';
END $$;

CREATE TRIGGER bookings_booking_status_path BEFORE UPDATE OF status ON bookings_booking
    FOR EACH ROW EXECUTE FUNCTION bookings_booking_status_path();
"""

REVERSE = """
DROP TRIGGER IF EXISTS bookings_booking_status_path ON bookings_booking;
DROP FUNCTION IF EXISTS bookings_booking_status_path();
"""


class Migration(migrations.Migration):
    dependencies = [("bookings", "0002_account_active_bookings_trigger")]

    operations = [migrations.RunSQL(FORWARD, REVERSE)]
