"""Template filters of the supervisors' pages: fractions as percentages, directive status badges."""

from django import template

from bookings.tables_supervision import percent as _percent
from bookings.tables_supervision import status_badge as _status_badge

register = template.Library()


@register.filter
def percent(value):
    """``0.125`` → ``12.5 %`` in the page's language; a dash when there is no basis."""
    return _percent(value)


@register.filter
def status_badge(value):
    """A directive status as its coloured badge."""
    return _status_badge(value)
