"""Bookings and capacity."""
