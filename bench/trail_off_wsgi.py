"""The portal's WSGI application with the booking service's event writer made a no-op.

For ``bench/trail_cost_http.py`` only: the "trail off" server of its comparison. The benchmark
also disables the backstop triggers of its scratch database while this server is measured, so
a booking made through it writes nothing at all to the trail.
"""

from bookings.services import booking as booking_service
from passport_portal.wsgi import application

booking_service.event_record = lambda **_kwargs: None

__all__ = ["application"]
