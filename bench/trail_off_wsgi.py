"""The portal's WSGI application with the booking service's event writer made a no-op.

For ``bench/trail_cost_http.py`` only: the "trail off" server of its comparison. The benchmark
also disables the backstop triggers of its scratch database while this server is measured, so
a booking made through it writes nothing at all to the trail.
"""

import importlib

from passport_portal.wsgi import application

# Imported once Django is set up (by the line above), as the portal's own modules are.
booking_service = importlib.import_module("bookings.services.booking")
booking_service.event_record = lambda **_kwargs: None

__all__ = ["application"]
