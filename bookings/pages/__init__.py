"""Server-rendered pages of the booking service: supervision, the office, the applicant."""
