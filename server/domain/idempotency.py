"""An idempotency key names one request: a retry gets its answer, another request gets 422.

Without this, a key reused with another body (another concern, another kiosk, another
invitation) would hand out the first caller's ticket and its token.
"""

from __future__ import annotations

from dataclasses import dataclass

from server.domain.errors import InvalidInput


class KeyReused(InvalidInput):
    """This idempotency key was already used for a different request."""

    code = "idempotency_key_reused"


@dataclass(frozen=True)
class IssueRequest:
    """What makes two ticket requests the same request."""

    concern_id: str | None
    kiosk_id: str | None
    language: str
    appointment_id: int | None


def ensure_same_request(stored: IssueRequest, asked: IssueRequest) -> None:
    if stored != asked:
        raise KeyReused()
