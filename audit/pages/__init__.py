"""Pages for internal auditors and supervisors: the event search and the two timelines.

Everyone else (officers, office heads, applicants) gets 404 here and no menu entry. The
trail holds tens of millions of events, so these pages never count or offset the whole table:
they page by key (``keyset.py``) and count at most ``COUNT_LIMIT`` matches.
"""
