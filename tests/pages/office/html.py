"""Reading figures and rows out of the office pages' HTML (marked with data- attributes)."""

from __future__ import annotations

import re


def figures(html: str) -> dict[str, str]:
    """Every ``data-figure`` value on the page, stripped of surrounding markup."""
    found = re.findall(r'data-figure="(\w+)">(.*?)</dd>', html, re.S)
    return {name: re.sub(r"<[^>]+>", "", value).strip() for name, value in found}


def table(html: str, table_id: str) -> str:
    match = re.search(rf'<table[^>]*id="{table_id}".*?</table>', html, re.S)
    assert match, f"no table #{table_id}"
    return match.group(0)


def rows(html: str, table_id: str) -> list[list[str]]:
    """The body rows of table ``table_id``, each a list of its cells' text."""
    body = re.search(r"<tbody>(.*?)</tbody>", table(html, table_id), re.S).group(1)
    return [[re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cell)).strip()
             for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)]


def field_errors(html: str, form_id: str) -> dict[str, list[str]]:
    """The error messages shown beside each field of form ``form_id`` (by field id)."""
    form = re.search(rf'<form[^>]*id="{form_id}".*?</form>', html, re.S).group(0)
    errors: dict[str, list[str]] = {}
    for field_id, message in re.findall(r'<p class="field-error" id="([\w-]+)-error">(.*?)</p>', form, re.S):
        errors.setdefault(field_id, []).append(message.strip())
    return errors


def form_alerts(html: str, form_id: str) -> str:
    """The messages shown above the fields of form ``form_id``."""
    form = re.search(rf'<form[^>]*id="{form_id}".*?</form>', html, re.S).group(0)
    return " ".join(re.findall(r'<div class="msg msg-error" role="alert">(.*?)</div>', form, re.S))
