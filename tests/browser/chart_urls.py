"""The portal's URLs plus one page that shows a trend chart, for the chart building block's test."""

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


urlpatterns = [path("chart-demo/", chart_page), *portal_urlpatterns]
