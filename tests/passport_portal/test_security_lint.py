"""The test command's bandit step (run.py) fails on a HIGH severity finding and passes on the code."""

from __future__ import annotations

import subprocess
import sys

import run


def _bandit(target) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *run.BANDIT, str(target)], capture_output=True, text=True,
                          timeout=300, cwd=run.ROOT)


def test_a_high_severity_finding_fails_the_step(tmp_path):
    (tmp_path / "risky.py").write_text("import subprocess\n\n\ndef go(name):\n"
                                       "    subprocess.call('ls ' + name, shell=True)\n")
    result = _bandit(tmp_path)
    assert result.returncode == 1, result.stdout
    assert "B602" in result.stdout and "Severity: High" in result.stdout


def test_medium_and_low_findings_do_not(tmp_path):
    (tmp_path / "fine.py").write_text("import subprocess\n\n\ndef go():\n    subprocess.call(['ls'])\n")
    assert _bandit(tmp_path).returncode == 0
