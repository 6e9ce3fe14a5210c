"""Detection runs: the latest runs with live progress (htmx polls a running run's parts), and a
button that starts a run on the Celery workers through the same service as the API."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from passport_portal.forms import REFUSALS, form_errors
from passport_portal.request_meta import request_meta

from ..choices import RunStatus
from ..models import DetectionRun
from ..selectors import run_list
from ..services import detection_run_start
from .common import audit_page
from .forms import RunStartForm

RUNS_SHOWN = 30


def run_progress(run: DetectionRun) -> dict:
    """The run as the progress partial shows it: parts done of parts, findings and duration."""
    duration = run.duration_seconds
    detail = _("%(findings)s findings") % {"findings": run.findings_total} if run.finished_at else ""
    if duration is not None:
        detail += " · " + _("%(seconds)s s") % {"seconds": round(duration, 1)}
    if run.error:
        detail = run.error[:200]
    label = _("Run #%(id)s, %(kind)s") % {"id": run.pk, "kind": run.get_kind_display()}
    return {"id": run.pk, "label": label,
            "done": len(run.parts_done), "total": len(run.parts), "status": run.status,
            "status_label": run.get_status_display(), "finished": run.status != RunStatus.RUNNING,
            "poll_url": reverse("detection:run-progress", args=[run.pk]), "detail": detail}


def _page(request, *, form=None, status: int = 200):
    runs = list(run_list(user=request.user)[:RUNS_SHOWN])
    return render(request, "detection/runs.html", {
        "runs": [{"run": run, "progress": run_progress(run)} for run in runs],
        "form": form or RunStartForm(), "tab": "runs",
    }, status=status)


@require_http_methods(["GET", "POST"])
@audit_page
def runs_page(request):
    """The runs, and (POST) starting one: the workers take its parts."""
    if request.method == "GET":
        return _page(request)
    form = RunStartForm(request.POST)
    if not form.is_valid():
        return _page(request, form=form, status=400)
    try:
        run = detection_run_start(actor=request.user, kind=form.cleaned_data["kind"],
                                  meta=request_meta(request))
    except REFUSALS as exc:
        return _page(request, form=form, status=form_errors(form, exc))
    if run is None:
        messages.warning(request, _("No run started: another run is in progress, or nothing is new."))
        return redirect("detection:runs")
    from ..tasks import dispatch

    dispatched: list[bool] = []
    transaction.on_commit(lambda: dispatched.append(dispatch(run)))
    if dispatched == [False]:  # the broker is down: the run was marked failed, nothing waits on it
        messages.error(request, _("Run #%(id)s was not started: the task queue is unavailable. "
                                  "The next scheduled run will cover these events.") % {"id": run.pk})
        return redirect("detection:runs")
    messages.success(request, _("Run #%(id)s started.") % {"id": run.pk})
    return redirect("detection:runs")


@require_GET
@audit_page
def run_progress_partial(request, pk: int):
    """A run's progress, polled by htmx every two seconds until the run ends."""
    run = run_list(user=request.user).filter(pk=pk).first()
    if run is None:
        raise Http404
    return render(request, "portal/partials/progress.html", {"progress": run_progress(run)})
