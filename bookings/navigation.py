"""The booking service's entries in the portal menu and its home-page panels."""

from __future__ import annotations
