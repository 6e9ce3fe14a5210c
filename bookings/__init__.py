"""Bookings: capacity, booking, ballots, the counter pipeline and the backlog."""
