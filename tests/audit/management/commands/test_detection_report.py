"""``detection_report``: generate, import, detect and measure a scenario with known answers."""

from io import StringIO

from django.core.management import call_command


def test_the_tiny_scenario_is_measured_against_its_truth(db, tmp_path):
    out, markdown = StringIO(), tmp_path / "report.md"
    call_command("detection_report", "--scenario", "tiny", "--seed", "1", "--no-progress",
                 "--markdown", str(markdown), stdout=out)
    text = out.getvalue()
    assert "| COLLUSION | officers |" in text and "| BOT | accounts |" in text
    assert "normal look-alikes among them: 0" in text
    assert markdown.read_text(encoding="utf-8") == text
    # Fictitious applications are planted by kind the detectors name; all of them are found.
    fictitious = next(line for line in text.splitlines() if line.startswith("| FICTITIOUS | bookings |"))
    assert fictitious.split("|")[7].strip() == "1.00"
