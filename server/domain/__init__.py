"""Queueing rules in plain Python (no Flask, no Socket.IO, no database)."""
