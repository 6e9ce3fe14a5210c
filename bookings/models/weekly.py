"""Weekly figures per office, kept by a scheduled job so the network's trends need not re-read
every booking of twelve weeks on each page view (bookings/weekly_figures.py fills it)."""

from __future__ import annotations

from django.db import models

from offices.models import Office


class WeeklyFigures(models.Model):
    """One office's figures for one whole week (Monday to Sunday on the office's calendar).

    Derived data, rebuilt from the bookings: the weeks kept, the current one as it stood at the
    refresh (``complete`` false), with a row for every office and week even when all figures
    are 0, so a week missing for an office means "not summarised yet" and is counted live.
    """

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="+")
    monday = models.DateField()
    complete = models.BooleanField(help_text="The week had ended in the office's zone at the refresh.")
    made = models.PositiveIntegerField(help_text="Bookings made in the week.")
    decided = models.PositiveIntegerField(help_text="Applications approved or rejected in the week.")
    no_shows = models.PositiveIntegerField(help_text="No-shows among the week's service dates.")
    waiting_at_end = models.PositiveIntegerField(
        help_text="Live applicants due and still waiting at the end of the week's Sunday (of the "
                  "refresh's day, for the current week).")
    refreshed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["office", "monday"], name="weekly_figures_one_per_week"),
        ]

    def __str__(self) -> str:
        return f"{self.office_id} week of {self.monday}"
