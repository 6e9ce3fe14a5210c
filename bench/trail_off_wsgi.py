"""The portal's WSGI application with the sale's event left out.

For ``bench/trail_cost_http.py`` only: the "trail off" server of its comparison. A sale's
conditional UPDATE runs without the event it writes (``audit.trail.event_record_with``); the
benchmark also disables the backstop triggers of its scratch database while this server is
measured, so a booking made through it writes nothing at all to the trail.
"""

import importlib

from passport_portal.wsgi import application

# Imported once Django is set up (by the line above), as the portal's own modules are.
slots_module = importlib.import_module("bookings.services.slots")
slots_module.event_record_with = importlib.import_module("bench.trail_switch").statement_alone

__all__ = ["application"]
