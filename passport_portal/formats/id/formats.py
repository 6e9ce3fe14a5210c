"""Indonesian formats beyond Django's own: clock times as 07.30 (two-digit hour)."""

TIME_FORMAT = "H.i"
DATETIME_FORMAT = "j N Y, H.i"
SHORT_DATETIME_FORMAT = "d-m-Y H.i"
