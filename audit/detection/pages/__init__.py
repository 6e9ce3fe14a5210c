"""The auditors' workbench: findings inbox, finding detail, officer profile, broker cluster,
cases, allowlist and detection runs.

Every page needs the AUDIT capability (auditors and the directorate) and answers 404 to anyone
else, exactly like a page that does not exist. Reads start from detection's selectors (which
leave out anything about the reader); writes call detection's services, which decide, validate
and record the audit event.
"""
