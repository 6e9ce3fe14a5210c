"""The portal's URLs plus pages that use the frame's building blocks (trend chart, live progress)."""

import itertools

from django.http import HttpResponse
from django.template import engines
from django.urls import path

from passport_portal.urls import urlpatterns as portal_urlpatterns

PAGE = """{% extends "base.html" %}
{% block head %}{% include "portal/partials/chart_assets.html" %}{% endblock %}
{% block content %}{% include "portal/partials/chart.html" %}{% endblock %}"""


def chart_page(request):
    data = {"x_label": "Day", "x": [1_764_374_400 + day * 86_400 for day in range(14)],
            "series": [{"label": "Bookings", "values": [120 + (day * 37) % 50 for day in range(14)]},
                       {"label": "Refused", "values": [(day * 11) % 17 for day in range(14)]}]}
    html = engines["django"].from_string(PAGE).render(
        {"chart_id": "trend", "chart_title": "Bookings per day", "chart_data": data}, request)
    return HttpResponse(html)


PROGRESS_PAGE = """{% extends "base.html" %}
{% block content %}{% include "portal/partials/progress.html" %}{% endblock %}"""
PROGRESS_PARTIAL = """{% include "portal/partials/progress.html" %}"""
_polls = itertools.count()


def _progress(done: int) -> dict:
    finished = done >= 3000
    return {"id": 1, "label": "Import", "done": done, "total": 3000, "finished": finished,
            "status": "DONE" if finished else "RUNNING", "poll_url": "/progress-demo/poll/"}


def progress_page(request):
    """A job one third done; every poll moves it another third."""
    html = engines["django"].from_string(PROGRESS_PAGE).render({"progress": _progress(1000)}, request)
    return HttpResponse(html)


def progress_poll(request):
    done = min(3000, 1000 * (2 + next(_polls)))
    html = engines["django"].from_string(PROGRESS_PARTIAL).render({"progress": _progress(done)}, request)
    return HttpResponse(html)


urlpatterns = [path("chart-demo/", chart_page), path("progress-demo/", progress_page),
               path("progress-demo/poll/", progress_poll), *portal_urlpatterns]
