"""The one vocabulary of audited actions.

The first block is the records-v1 interchange format's own list; the portal appends its own
after it. A code never changes meaning; new codes are appended, never reused.
"""

from django.db import models


class Action(models.TextChoices):
    # Applicant accounts (records-v1)
    ACCOUNT_REGISTER = "ACCOUNT_REGISTER"
    ACCOUNT_LOGIN = "ACCOUNT_LOGIN"
    BOOK = "BOOK"
    BOOKING_CANCEL = "BOOKING_CANCEL"
    BOOKING_RESCHEDULE = "BOOKING_RESCHEDULE"
    # Staff on a booking (records-v1)
    CHECK_IN = "CHECK_IN"
    VERIFY_DOCUMENTS = "VERIFY_DOCUMENTS"
    CAPTURE_BIOMETRICS = "CAPTURE_BIOMETRICS"
    INTERVIEW = "INTERVIEW"
    APPROVE = "APPROVE"
    REJECT = "REJECT"
    PRINT = "PRINT"
    HAND_OVER = "HAND_OVER"
    MARK_NO_SHOW = "MARK_NO_SHOW"
    CANCEL = "CANCEL"
    RESCHEDULE = "RESCHEDULE"
    WALK_IN_INSERT = "WALK_IN_INSERT"
    OVERRIDE = "OVERRIDE"
    VIEW_APPLICANT = "VIEW_APPLICANT"
    # Staff, not on a booking (records-v1)
    STAFF_LOGIN = "STAFF_LOGIN"
    STAFF_LOGOUT = "STAFF_LOGOUT"
    QUOTA_CHANGE = "QUOTA_CHANGE"
    # The portal's own additions
    STAFF_LOGIN_FAILED = "STAFF_LOGIN_FAILED"
    ACCOUNT_LOGIN_FAILED = "ACCOUNT_LOGIN_FAILED"
    ACCOUNT_LOGOUT = "ACCOUNT_LOGOUT"
    BOOK_REFUSED = "BOOK_REFUSED"
    OFFICE_CREATE = "OFFICE_CREATE"
    OFFICE_UPDATE = "OFFICE_UPDATE"
    STAFF_CREATE = "STAFF_CREATE"
    STAFF_UPDATE = "STAFF_UPDATE"
    ASSIGNMENT_CREATE = "ASSIGNMENT_CREATE"
    ASSIGNMENT_END = "ASSIGNMENT_END"
    DATA_CHANGED_OUTSIDE_APP = "DATA_CHANGED_OUTSIDE_APP"
    AUDIT_PARTITION_ARCHIVE = "AUDIT_PARTITION_ARCHIVE"
    DAY_CLOSE = "DAY_CLOSE"
    DAY_REOPEN = "DAY_REOPEN"
    RECORDS_IMPORT = "RECORDS_IMPORT"
    RECORDS_EXPORT = "RECORDS_EXPORT"
    SECOND_FACTOR_ENROLL = "SECOND_FACTOR_ENROLL"
    SECOND_FACTOR_VERIFY = "SECOND_FACTOR_VERIFY"
    SECOND_FACTOR_FAILED = "SECOND_FACTOR_FAILED"
    DETECTOR_SETTING_CHANGE = "DETECTOR_SETTING_CHANGE"
    ALLOWLIST_ADD = "ALLOWLIST_ADD"
    ALLOWLIST_REMOVE = "ALLOWLIST_REMOVE"
    DETECTION_RUN_START = "DETECTION_RUN_START"
    CASE_OPEN = "CASE_OPEN"
    CASE_ASSIGN = "CASE_ASSIGN"
    CASE_STATUS_CHANGE = "CASE_STATUS_CHANGE"
    CASE_NOTE = "CASE_NOTE"


#: Actions that concern one booking: their events must name it.
BOOKING_ACTIONS = frozenset({
    Action.BOOK, Action.BOOKING_CANCEL, Action.BOOKING_RESCHEDULE, Action.CHECK_IN,
    Action.VERIFY_DOCUMENTS, Action.CAPTURE_BIOMETRICS, Action.INTERVIEW, Action.APPROVE,
    Action.REJECT, Action.PRINT, Action.HAND_OVER, Action.MARK_NO_SHOW, Action.CANCEL,
    Action.RESCHEDULE, Action.WALK_IN_INSERT, Action.OVERRIDE, Action.VIEW_APPLICANT,
})


class ActorType(models.TextChoices):
    """Who acted: a member of staff (by NIP), an applicant account (by ref), the system, or nobody known."""

    STAFF = "staff"
    ACCOUNT = "account"
    SYSTEM = "system"
    ANONYMOUS = "anonymous"
