"""``{% table_rows table %}``: a django-tables2 table's rows for the current page, in one loop.

django-tables2's own template renders each cell through the template language (a loop context,
four variable lookups and an ``if`` per cell): for the supervisors' 50-row, 14-column network
table that was most of the page's time. This tag writes the same markup from Python: the row's
attributes, each cell's ``td`` attributes and its value, localised as ``{{ cell }}``,
``|localize`` or ``|unlocalize`` would have it (the column's ``localize``).
"""

from __future__ import annotations

from django import template
from django.template.base import render_value_in_context
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()


def _cell(column, value, context) -> str:
    if column.localize is None:
        return render_value_in_context(value, context)
    if column.localize:
        return conditional_escape(localize(value, use_l10n=True))
    return conditional_escape(str(value))


@register.simple_tag(takes_context=True)
def table_rows(context, table) -> str:
    """The ``<tr>`` elements of ``table``'s current page ('' when it has none)."""
    html = []
    for row in table.paginated_rows:
        html.append(f"<tr {row.attrs.as_html()}>")
        for column, cell in row.items():
            html.append(f"<td {column.attrs['td'].as_html()}>{_cell(column, cell, context)}</td>")
        html.append("</tr>")
    return mark_safe("".join(html))  # noqa: S308 - every part is escaped or built by django-tables2's own escaping
