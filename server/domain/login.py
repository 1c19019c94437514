"""When a login attempt is refused before its password is even looked at.

Failures count per (user name, client address) and per client address. A user whom
someone attacks from another address still logs in with the right password: only the
attacking address is locked, never the name for everyone. One address that tries many
names is locked too, after ADDRESS_FACTOR times the allowed attempts.
"""

from __future__ import annotations

from dataclasses import dataclass

# One address (a reception PC, a NAT of the office) may mistype several names.
ADDRESS_FACTOR = 4


@dataclass(frozen=True)
class LoginFailures:
    """Failures seen in the throttling window."""

    same_name_same_address: int
    same_address: int


def locked(failures: LoginFailures, attempts: int) -> bool:
    """True when this address may not try again (for this name, or at all) yet."""
    return (
        failures.same_name_same_address >= attempts
        or failures.same_address >= attempts * ADDRESS_FACTOR
    )
