"""Every string the portal frame marks for translation is in the Indonesian catalogue.

Reads the frame's own templates and modules (templates/, offices/, passport_portal/) and
compares their messages with locale/id/LC_MESSAGES/django.po, so a new string cannot reach a
page in English only. The fix when this fails: makemessages, translate, compilemessages
(docs/portal.md).
"""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
FRAME_TEMPLATES = ["templates/base.html", "templates/403.html", "templates/404.html",
                   "templates/offices", "templates/portal"]
FRAME_MODULES = ["offices", "passport_portal"]

TRANSLATE_TAG = re.compile(r"""{%\s*(?:translate|trans)\s+(["'])(.+?)\1""")
BLOCK_TAG = re.compile(r"{%\s*blocktrans(?:late)?\b([^%]*)%}(.*?){%\s*(?:plural|endblocktrans(?:late)?)\s*%}", re.S)
PYTHON_CALL = re.compile(r"""\b(?:_|gettext|gettext_lazy)\(\s*(["'])((?:\\.|(?!\1).)+)\1\s*[,)]""")


def _catalogue() -> set[str]:
    po = (ROOT / "locale" / "id" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    messages = set()
    for block in po.split("\n\n"):
        match = re.search(r'^msgid ((?:".*"\n?)+)', block + "\n", re.M)
        if match:
            text = "".join(re.findall(r'"(.*)"', match.group(1)))
            messages.add(text.replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\"))
    return messages


def _template_messages() -> set[str]:
    found = set()
    files = []
    for name in FRAME_TEMPLATES:
        path = ROOT / name
        files += sorted(path.rglob("*.html")) if path.is_dir() else [path]
    for path in files:
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", "", text, flags=re.S)
        found |= {m.group(2) for m in TRANSLATE_TAG.finditer(text)}
        for match in BLOCK_TAG.finditer(text):
            body = re.sub(r"{{\s*(\w+)\s*}}", r"%(\1)s", match.group(2))
            found.add(body if "trimmed" not in match.group(1) else " ".join(body.split()))
    return found


def _module_messages() -> set[str]:
    found = set()
    for package in FRAME_MODULES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            code = re.sub(r'""".*?"""', "", path.read_text(encoding="utf-8"), flags=re.S)  # docstrings
            found |= {m.group(2).replace("\\'", "'").replace('\\"', '"') for m in PYTHON_CALL.finditer(code)}
    return found


def test_every_template_message_of_the_frame_is_in_the_catalogue():
    assert sorted(_template_messages() - _catalogue()) == []


def test_every_python_message_of_the_frame_is_in_the_catalogue():
    assert sorted(_module_messages() - _catalogue()) == []


def test_the_extraction_finds_the_frame_messages():
    # Guards the two tests above against a pattern that silently matches nothing.
    assert "Sign in" in _template_messages() and "Good day, %(name)s" in _template_messages()
    assert "Offices and units" in _module_messages() and "Daily quota" in _module_messages()
