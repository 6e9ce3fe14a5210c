"""The base of the portal: the office network, staff, their assignments and roles, and access."""
