"""The database keeps each account's count of active bookings, and so enforces the cap.

After every insert, update or delete of a booking, the trigger moves the account's
``active_bookings`` when the booking enters or leaves an active status (or changes account).
The account row's check constraint ``account_active_bookings_within_cap`` then refuses the
write that would pass ``booking_cap``. The UPDATE locks the account row, so concurrent
bookings for one account queue behind each other and cannot both take the last place.
Imported history and walk-ins without an account are not counted.
"""

from django.db import migrations

ACTIVE = "('BOOKED', 'CHECKED_IN', 'DOCUMENTS_VERIFIED', 'BIOMETRICS_CAPTURED', 'INTERVIEWED', 'APPROVED', 'PRINTED')"

FORWARD = f"""
CREATE FUNCTION bookings_account_count_active() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    was_counted boolean := false;
    is_counted boolean := false;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        was_counted := OLD.account_id IS NOT NULL AND NOT OLD.imported AND OLD.status IN {ACTIVE};
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        is_counted := NEW.account_id IS NOT NULL AND NOT NEW.imported AND NEW.status IN {ACTIVE};
    END IF;
    IF TG_OP = 'UPDATE' AND was_counted AND is_counted AND OLD.account_id = NEW.account_id THEN
        RETURN NULL;
    END IF;
    IF was_counted THEN
        UPDATE bookings_account SET active_bookings = active_bookings - 1 WHERE id = OLD.account_id;
    END IF;
    IF is_counted THEN
        UPDATE bookings_account SET active_bookings = active_bookings + 1 WHERE id = NEW.account_id;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER bookings_booking_count_active
    AFTER INSERT OR DELETE OR UPDATE OF status, account_id, imported ON bookings_booking
    FOR EACH ROW EXECUTE FUNCTION bookings_account_count_active();
"""

REVERSE = """
DROP TRIGGER IF EXISTS bookings_booking_count_active ON bookings_booking;
DROP FUNCTION IF EXISTS bookings_account_count_active();
"""


class Migration(migrations.Migration):
    dependencies = [("bookings", "0001_initial")]

    operations = [migrations.RunSQL(FORWARD, REVERSE)]
