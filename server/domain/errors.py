"""Domain failures: each its own class under one base, mapped to HTTP in server/api/errors.py."""


class DomainError(Exception):
    """Base of every failure the domain and services report to a caller."""

    code = "domain_error"

    def __init__(self, message: str = "") -> None:
        super().__init__(message or self.__doc__ or self.code)
        self.message = message or (self.__doc__ or self.code).strip()

    def details(self) -> dict[str, object]:
        """Extra fields for the JSON error body, next to code and message."""
        return {}


class NotFound(DomainError):
    """The requested object does not exist."""

    code = "not_found"


class MalformedRequest(DomainError):
    """The request body is not valid JSON or not a JSON object."""

    code = "bad_request"


class InvalidInput(DomainError):
    """The request is missing a field or has a wrong value."""

    code = "invalid"


class InvalidTransition(DomainError):
    """The ticket's current state does not allow this action."""

    code = "invalid_transition"


class QueueClosed(DomainError):
    """The queue takes no new tickets today."""

    code = "queue_closed"


class CapacityExhausted(DomainError):
    """The queue has issued all tickets it can serve today."""

    code = "capacity_exhausted"


class AlreadyCheckedIn(DomainError):
    """This invitation has already been used to check in."""

    code = "already_checked_in"


class CheckinTooEarly(DomainError):
    """It is too early to check in for this appointment."""

    code = "checkin_too_early"

    def __init__(self, message: str = "", come_back_at: str | None = None) -> None:
        super().__init__(message)
        self.come_back_at = come_back_at

    def details(self) -> dict[str, object]:
        return {"come_back_at": self.come_back_at} if self.come_back_at else {}


class CheckinTooLate(DomainError):
    """The check-in window of this appointment has passed."""

    code = "checkin_too_late"


class SlotFull(DomainError):
    """The time slot has no free appointment left."""

    code = "slot_full"

    def __init__(self, message: str = "", free_slots: list[str] | None = None) -> None:
        super().__init__(message)
        self.free_slots = free_slots or []

    def details(self) -> dict[str, object]:
        return {"free_slots": self.free_slots}


class UnknownCode(NotFound):
    """No appointment has this invitation code."""

    code = "unknown_code"


class InvitationExpired(DomainError):
    """This invitation has expired; please ask at reception."""

    code = "invitation_expired"

    def __init__(self, message: str = "", *, language: str | None = None) -> None:
        super().__init__(message)
        self.language = language


class AppointmentCancelled(DomainError):
    """This appointment was cancelled; please ask at reception."""

    code = "appointment_cancelled"


class AppointmentsNotOffered(InvalidInput):
    """This queue takes no appointments."""

    code = "no_appointments"


class SlotMisaligned(InvalidInput):
    """The start time is not the start of an appointment slot."""

    code = "slot_misaligned"


class SlotInPast(InvalidInput):
    """The start time lies in the past."""

    code = "slot_in_past"


class Conflict(DomainError):
    """Someone else changed this ticket first."""

    code = "conflict"


class KioskOutOfOrder(NotFound):
    """This kiosk is not set up (unknown id): a visitor reads that it is out of order."""

    code = "kiosk_out_of_order"


class LetterGone(NotFound):
    """The invitation's link is unknown or its data was already deleted: it has expired."""

    code = "invitation_expired"


class RateLimited(DomainError):
    """Too many tickets from this client or site without a kiosk key; wait a little."""

    code = "rate_limited"

    def __init__(self, retry_after: int, message: str = "") -> None:
        super().__init__(message)
        self.retry_after = retry_after

    def details(self) -> dict[str, object]:
        return {"retry_after": self.retry_after}


class AnonymousIssuingOff(DomainError):
    """Tickets are issued only to enrolled kiosks and staff here."""

    code = "anonymous_tickets_off"


class UnknownKioskKey(DomainError):
    """This kiosk key is unknown or revoked; an admin enrols the kiosk again."""

    code = "unknown_kiosk_key"


class WrongKiosk(DomainError):
    """This kiosk key belongs to another kiosk."""

    code = "wrong_kiosk"


class Forbidden(DomainError):
    """You may not do this here."""

    code = "forbidden"


class TooManyAttempts(DomainError):
    """Too many failed logins; wait a few minutes and try again."""

    code = "too_many_attempts"


class BadCredentials(DomainError):
    """Wrong user name or password."""

    code = "bad_credentials"


class PasswordChangeRequired(DomainError):
    """An admin reset your password: choose a new one first (PUT /api/v1/session/password)."""

    code = "password_change_required"


class CounterOnBreak(Conflict):
    """This counter is on a break: it gets no calls until it is opened again."""

    code = "counter_on_break"


class NotYourSite(Forbidden):
    """This counter belongs to a site you do not work at."""

    code = "forbidden"
