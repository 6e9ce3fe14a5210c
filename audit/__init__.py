"""The audit trail: one event writer, append-only storage, sealing and verification."""
