"""The portal's own Celery app, with the broker's redelivery sweep made quick enough for a test.

Kombu's Redis transport looks for unacknowledged messages past the visibility timeout only every
``unacked_restore_interval × unacked_restore_throttle`` seconds (100 by default); the fault tests
set a visibility timeout of seconds and need the sweep on the same scale. Nothing else differs.
"""

from passport_portal.celery import app

app.conf.broker_transport_options = {
    **app.conf.broker_transport_options,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
