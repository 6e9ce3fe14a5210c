"""Building blocks for list pages: a filtered, sorted, paged table that also exports to CSV.

A list page is a ``TablePage`` subclass naming its table, its filterset and the queryset it
starts from (already scoped by offices/access.py). The same filter and sort apply to the page
and to its CSV export; the export is streamed row by row from a server-side cursor, so an
export of the whole network costs the same memory as one page.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.encoding import force_str
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin
from django_tables2.rows import BoundRow

EXPORT_CHUNK = 2000
# A cell starting with one of these is a formula to spreadsheet programs (CSV injection):
# such text gets a leading apostrophe, which they show as plain text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class _Echo:
    """A file-like object whose ``write`` hands the line back, for streaming csv.writer output."""

    def write(self, value: str) -> str:
        return value


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, int | float):
        return str(value)
    text = force_str(value)
    return f"'{text}" if text.startswith(FORMULA_START) else text


def csv_rows(table, queryset) -> Iterator[str]:
    """The header and one CSV line per record, with the table's columns and plain values."""
    writer = csv.writer(_Echo())
    columns = [c for c in table.columns.iterall() if not c.column.exclude_from_export]
    yield "\ufeff"  # a byte-order mark, so spreadsheet programs read UTF-8
    yield writer.writerow([force_str(c.header) for c in columns])
    for record in queryset.iterator(chunk_size=EXPORT_CHUNK):
        row = BoundRow(record, table=table)
        values = (row.get_cell_value(c.name) for c in columns)
        yield writer.writerow([_cell(v) for v in values])


def csv_response(table, queryset, filename: str) -> StreamingHttpResponse:
    """Stream ``queryset`` as CSV with ``table``'s columns; the file name carries today's date."""
    stamp = timezone.localdate().isoformat()
    response = StreamingHttpResponse(csv_rows(table, queryset), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.csv"'
    return response


class TablePage(SingleTableMixin, FilterView):
    """A list page: filter form, sortable paged table, and ``?export=csv`` for the same rows.

    Subclasses set ``table_class``, ``filterset_class``, ``export_name`` and ``get_queryset``.
    """

    template_name = "portal/table_page.html"
    # The table pages itself; the list view underneath must not page a second time.
    table_pagination = {"per_page": 50}
    paginate_by = None
    export_name = "export"
    page_title = ""
    # An invalid filter shows its errors and an empty table rather than everything.
    strict = True

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "csv":
            filterset = self.get_filterset(self.get_filterset_class())
            queryset = filterset.qs if filterset.is_valid() else filterset.queryset.none()
            table = self.get_table_class()(queryset, request=request)
            order = request.GET.get(table.order_by_field)
            if order:
                table.order_by = order
            return csv_response(table, table.data.data, self.export_name)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET.copy()
        params.pop("page", None)
        params["export"] = "csv"
        context["export_query"] = params.urlencode()
        context["page_title"] = self.page_title
        return context
