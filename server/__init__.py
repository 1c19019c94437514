"""Anlaufstelle core: domain, persistence, routing, real-time hub, JSON API, auth, CLI."""
