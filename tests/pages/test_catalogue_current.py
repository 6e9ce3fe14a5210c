"""Every string the portal marks for translation is in the Indonesian catalogue.

Reads every template under templates/ and every module of the project's own apps (each installed
app that lives in this repository, audit.detection included, plus passport_portal) and compares
their messages with locale/id/LC_MESSAGES/django.po, so a new string cannot reach a page in
English only. Templates are read with Django's own templatize (what makemessages feeds to
xgettext), modules with the ast, so trimmed blocks, plurals and strings split over lines count
exactly as makemessages counts them. test_i18n checks that every catalogue entry is translated.
The fix when this fails: makemessages, translate, compilemessages (docs/portal.md).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.utils.translation.template import templatize

ROOT = Path(settings.BASE_DIR)
TEMPLATES = ROOT / "templates"
PROJECT_PACKAGE = "passport_portal"
SKIPPED_DIRS = {"__pycache__"}

#: Calls xgettext is told about by makemessages: name -> index of the message (and of its plural).
PYTHON_KEYWORDS = {
    "_": (0, None), "gettext": (0, None), "gettext_lazy": (0, None), "gettext_noop": (0, None),
    "ngettext": (0, 1), "ngettext_lazy": (0, 1), "pgettext": (1, None), "pgettext_lazy": (1, None),
    "npgettext": (1, 2), "npgettext_lazy": (1, 2),
}
#: The calls templatize writes for {% translate %}, {% blocktranslate %} and _("...") in variables.
_LITERAL = r"""u?(?:'(?:\\.|[^'\\])*'|"(?:\\.|[^"\\])*")"""
TEMPLATIZED_CALL = re.compile(rf"(?<![\w.])(n?p?gettext|_)\(\s*((?:{_LITERAL}\s*,?\s*)+)")


def _project_apps() -> list[Path]:
    """The installed apps whose code is in this repository, and the project package itself."""
    paths = {Path(config.path) for config in apps.get_app_configs()
             if Path(config.path).is_relative_to(ROOT) and ".venv" not in Path(config.path).parts}
    return sorted(paths | {ROOT / PROJECT_PACKAGE})


def _catalogue() -> set[str]:
    po = (ROOT / "locale" / "id" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    messages = set()
    for block in po.split("\n\n"):
        for keyword in ("msgid", "msgid_plural"):
            match = re.search(rf'^{keyword} ((?:".*"\n?)+)', block + "\n", re.M)
            if match:
                pieces = re.findall(r'^(".*")$', match.group(1), re.M)
                messages.add("".join(ast.literal_eval(piece) for piece in pieces))
    return messages


def _template_files() -> list[Path]:
    return sorted(path for suffix in ("*.html", "*.txt") for path in TEMPLATES.rglob(suffix))


def _template_messages() -> set[str]:
    found = set()
    for path in _template_files():
        source = templatize(path.read_text(encoding="utf-8"), origin=str(path))
        for match in TEMPLATIZED_CALL.finditer(source):
            literals = [ast.literal_eval(text) for text in re.findall(_LITERAL, match.group(2))]
            found |= set(literals[1:] if match.group(1).startswith(("pgettext", "npgettext")) else literals)
    return found


def _module_files() -> list[Path]:
    return [path for app in _project_apps() for path in sorted(app.rglob("*.py"))
            if not SKIPPED_DIRS & set(path.relative_to(app).parts)]


def _module_messages() -> set[str]:
    found = set()
    for path in _module_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
            for index in PYTHON_KEYWORDS.get(name, ()):
                if index is not None and index < len(node.args):
                    argument = node.args[index]
                    if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                        found.add(argument.value)
    return found


def test_every_template_message_is_in_the_catalogue():
    assert sorted(_template_messages() - _catalogue()) == []


def test_every_python_message_is_in_the_catalogue():
    assert sorted(_module_messages() - _catalogue()) == []


def test_the_extraction_covers_every_template_folder_and_app():
    # Guards the two tests above against a scope or pattern that silently reads nothing.
    folders = {path.relative_to(TEMPLATES).parts[0] for path in _template_files() if path.parent != TEMPLATES}
    assert folders == {p.name for p in TEMPLATES.iterdir() if p.is_dir()}
    assert {"applicant", "audit", "detection", "office", "offices", "portal", "supervision"} <= folders
    assert {"base.html", "403.html", "404.html"} <= {p.name for p in _template_files()}
    names = {path.relative_to(ROOT).as_posix() for path in _project_apps()}
    assert {"offices", "bookings", "audit", "audit/detection", "passport_portal"} <= names
    templates, modules = _template_messages(), _module_messages()
    assert {"Sign in", "Good day, %(name)s", "Book an appointment", "Riskiest subjects",
            "%(counter)s finding", "%(counter)s findings", "Clearance directives"} <= templates
    assert {"Offices and units", "Daily quota", "Findings", "Audit trail", "Supervision",
            "Officer who {}."} <= modules
    assert "Steps per day" in templates  # _("...") as a tag argument
