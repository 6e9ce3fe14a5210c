"""The frame's building blocks other pages plug into: live progress partial and trend chart partial."""

from __future__ import annotations

from django.template.loader import render_to_string


def _progress(**values):
    progress = {"id": 7, "label": "Import", "done": 1200, "total": 5000, "status": "RUNNING",
                "finished": False, "poll_url": "/jobs/7/progress/"} | values
    return render_to_string("portal/partials/progress.html", {"progress": progress})


def test_running_job_polls_its_url_every_two_seconds():
    html = _progress()
    assert 'hx-get="/jobs/7/progress/"' in html and 'hx-trigger="every 2s"' in html
    assert '<progress max="5000" value="1200">' in html


def test_finished_job_stops_polling():
    html = _progress(finished=True, status="DONE", done=5000)
    assert "hx-get" not in html and "hx-trigger" not in html


def test_job_of_unknown_size_shows_an_indeterminate_bar():
    html = _progress(total=None)
    assert "<progress>" in html


def test_chart_data_travels_as_a_json_block_not_code():
    html = render_to_string("portal/partials/chart.html", {
        "chart_id": "trend", "chart_title": "Bookings",
        "chart_data": {"x": [1, 2], "series": [{"label": "a</script>", "values": [3, 4]}]}})
    assert '<script id="trend" type="application/json">' in html
    assert "a</script>" not in html
