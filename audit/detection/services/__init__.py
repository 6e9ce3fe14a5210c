"""Detection's writes: settings, the allowlist, runs and their findings, and cases."""

from .allowlist import allowlist_add, allowlist_current, allowlist_remove
from .cases import case_add_note, case_assign, case_move, case_open
from .runs import detection_run_start, run_fail, run_finish, run_part
from .settings import detector_params, detector_setting_update, detector_settings_sync

__all__ = [
    "allowlist_add", "allowlist_current", "allowlist_remove", "case_add_note", "case_assign",
    "case_move", "case_open", "detection_run_start", "detector_params", "detector_setting_update",
    "detector_settings_sync", "run_fail", "run_finish", "run_part",
]
