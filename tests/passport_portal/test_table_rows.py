"""``{% table_rows %}`` writes exactly the rows django-tables2's own template writes, faster."""

from __future__ import annotations

import datetime as dt
import re

import django_tables2 as tables
from django.template import Context, Template
from django.template.loader import get_template
from django.test import RequestFactory
from django.utils import translation
from django_tables2 import RequestConfig

from bookings.pages.supervision import _offices
from bookings.tables_supervision import NetworkTable
from offices.access import reach_of
from offices.models import Office
from offices.tables import OfficeTable


def library_rows(table, request) -> str:
    """The rows as django-tables2's unmodified template renders them."""
    html = get_template("django_tables2/table.html").render({"table": table, "request": request})
    return re.search(r"<tbody[^>]*>(.*)</tbody>", html, re.S).group(1)


def tag_rows(table, request) -> str:
    return Template("{% load table_rows %}{% table_rows table %}").render(
        Context({"table": table, "request": request}))


def same_markup(a: str, b: str) -> bool:
    squeeze = lambda html: re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()  # noqa: E731
    return squeeze(a) == squeeze(b)


def request_of(user):
    request = RequestFactory().get("/")
    request.user = user
    request.reach = reach_of(user)
    return request


def network_table(request):
    table = NetworkTable(_offices(request), request=request)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return table


def test_the_network_table_renders_the_same_rows(network):
    # a table counts its rows for the even/odd classes: each rendering gets a table of its own
    request = request_of(network.supervisor)
    for language in ("id", "en"):
        with translation.override(language):
            rows = tag_rows(network_table(request), request)
            assert rows.count("<tr ") == Office.objects.count() and 'data-code="KANIM-A"' in rows
            assert same_markup(rows, library_rows(network_table(request), request))


def test_the_offices_table_renders_the_same_rows(network):
    request = request_of(network.supervisor)

    def offices_table():
        table = OfficeTable(Office.objects.all(), request=request)
        RequestConfig(request, paginate={"per_page": 2}).configure(table)
        return table

    rows = tag_rows(offices_table(), request)
    assert rows.count("<tr ") == 2
    assert same_markup(rows, library_rows(offices_table(), request))


class Figures(tables.Table):
    as_page = tables.Column()
    localised = tables.Column(localize=True)
    plain = tables.Column(localize=False)
    day = tables.DateColumn()
    markup = tables.Column()


def test_values_are_localised_and_escaped_as_the_template_would(settings):
    settings.USE_THOUSAND_SEPARATOR = True
    data = [{"as_page": 1234567, "localised": 1234.5, "plain": 1234567, "day": dt.date(2026, 11, 29),
             "markup": "<b>&</b>"}]
    request = RequestFactory().get("/")
    with translation.override("id"):
        rows = tag_rows(Figures(data), request)
        assert ">1.234.567<" in rows and ">1234567<" in rows and "&lt;b&gt;&amp;&lt;/b&gt;" in rows
        assert same_markup(rows, library_rows(Figures(data), request))


def test_an_empty_table_says_so(db):
    request = RequestFactory().get("/")
    table = OfficeTable(Office.objects.none(), request=request)
    html = get_template("portal/table.html").render({"table": table, "request": request})
    body = re.search(r"<tbody[^>]*>(.*)</tbody>", html, re.S).group(1)
    assert str(table.empty_text) in body and "<tr ><td" not in body
