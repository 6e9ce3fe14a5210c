"""The portal's navigation and home-page panels, registered by each app and shown by capability.

An app lists its pages in its own ``navigation.py``::

    from offices.access import Capability
    from passport_portal import navigation

    navigation.register(navigation.NavItem(
        key="queue", label=_("Today's queue"), url_name="bookings:queue",
        capability=Capability.OPERATE, order=20,
    ))

The menu shows an entry only to people who hold its capability somewhere (offices/access.py);
no template ever names a role. Home-page panels work the same way: a template, a capability,
and an optional function that adds the panel's context.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.module_loading import autodiscover_modules

from offices.access import Capability, Reach


@dataclass(frozen=True)
class NavItem:
    """One entry of the main menu, shown to anyone who holds any of ``capabilities``."""

    key: str
    label: Any  # a lazy translation
    url_name: str
    capabilities: tuple[Capability, ...]
    order: int = 100
    # Other URL names that mark this entry as the current one (detail pages under a list).
    also_current: tuple[str, ...] = ()

    @property
    def url(self) -> str:
        return reverse(self.url_name)


@dataclass(frozen=True)
class HomePanel:
    """A block of the home page, rendered from ``template`` for those who hold ``capability``."""

    key: str
    template: str
    capability: Capability
    order: int = 100
    # Shown only where the capability holds everywhere (an overview of the whole network).
    network_wide: bool = False
    context: Callable[[Any], dict] | None = field(default=None, compare=False)


_items: dict[str, NavItem] = {}
_panels: dict[str, HomePanel] = {}
_discovered = False


def register(item: NavItem) -> NavItem:
    """Add (or replace, by key) a menu entry."""
    _items[item.key] = item
    return item


def register_panel(panel: HomePanel) -> HomePanel:
    """Add (or replace, by key) a home-page panel."""
    _panels[panel.key] = panel
    return panel


def _discover() -> None:
    global _discovered
    if not _discovered:
        autodiscover_modules("navigation")
        _discovered = True


def items_for(reach: Reach) -> list[NavItem]:
    """The menu entries ``reach`` may use, in order."""
    _discover()
    visible = [i for i in _items.values() if any(reach.can(c) for c in i.capabilities)]
    return sorted(visible, key=lambda i: (i.order, i.key))


def panels_for(reach: Reach) -> list[HomePanel]:
    """The home-page panels ``reach`` may see, in order."""
    _discover()
    visible = [p for p in _panels.values()
               if (reach.scopes[p.capability].everywhere if p.network_wide else reach.can(p.capability))]
    return sorted(visible, key=lambda p: (p.order, p.key))
