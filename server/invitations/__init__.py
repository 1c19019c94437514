"""Invitation letters (page and PDF) and the short page behind the letter's QR code."""

from flask import Blueprint

bp = Blueprint("invitations", __name__)

from server.invitations import views  # noqa: E402,F401  (routes register on bp)
