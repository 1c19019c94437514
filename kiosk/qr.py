"""QR codes for the kiosk screen, drawn on the server as SVG (no script library, no CDN)."""

from __future__ import annotations

import functools
import io
import re

import qrcode
from qrcode.image.svg import SvgPathFillImage

from server.config import Settings
from server.domain.errors import NotFound
from server.urls import public_url

# Status tokens are secrets.token_urlsafe(24): 32 URL-safe characters.
_TOKEN = r"/[A-Za-z0-9_-]{16,86}"


def _is_status_url(settings: Settings, data: str) -> bool:
    """Only this installation's status pages: the route must not become a free QR service."""
    return any(
        re.fullmatch(re.escape(public_url(site, "t")) + _TOKEN, data) for site in settings.sites
    )


@functools.lru_cache(maxsize=256)
def _svg(data: str) -> bytes:
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M, border=2, image_factory=SvgPathFillImage
    )
    code.add_data(data)
    buffer = io.BytesIO()
    code.make_image().save(buffer)
    return buffer.getvalue()


def status_qr_svg(settings: Settings, data: str) -> bytes:
    """The QR code of a visitor's status page as SVG; NotFound for anything else."""
    if not _is_status_url(settings, data):
        raise NotFound("not a status page of this site")
    return _svg(data)
