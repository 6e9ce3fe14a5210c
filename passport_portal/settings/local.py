"""Settings for running the portal on one's own machine (the README's first command)."""

from .base import *  # noqa: F403
