"""Addresses visitors open from outside: the site's public URL joined with a path."""

from __future__ import annotations

from server.config import Site


def public_url(site: Site, *parts: str) -> str:
    """`public_url(site, "t", token)` -> `https://example.org/t/<token>`."""
    return "/".join([site.public_url.rstrip("/"), *(part.strip("/") for part in parts)])
