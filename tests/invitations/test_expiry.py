"""Invitation codes expire with their appointment plus the check-in window, also after retention."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask_babel import force_locale, gettext

from server.services import retention

EXPIRED = "This invitation has expired. Please ask at reception."


def _expected(app, language: str) -> str:
    with app.test_request_context(), force_locale(language):
        return gettext(EXPIRED)


def test_an_invitation_past_its_check_in_window_says_it_has_expired(app, client, past_booking):
    booked = past_booking(40, language="ar")
    page = client.get(f"/c/{booked['raw_code']}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'lang="ar"' in html and _expected(app, "ar") in html
    assert _expected(app, "ar") != EXPIRED  # a real translation, not the English text
    checkin = client.post(
        "/api/v1/checkin", json={"site": "musterstadt", "code": booked["raw_code"]}
    )
    assert checkin.status_code == 422


@pytest.mark.parametrize("language", ["de", "en", "ar", "ku", "ckb"])
def test_after_pseudonymisation_an_old_letter_says_expired_in_its_language(
    app, client, db, settings, past_booking, language
):
    booked = past_booking(40, language=language)
    with db.writing() as session:
        report = retention.run(
            session,
            settings,
            retention.utcnow() + timedelta(days=settings.privacy.personal_days + 1),
        )
    assert report.counts["musterstadt: appointments pseudonymised"] == 1
    page = client.get(f"/c/{booked['raw_code']}")
    assert page.status_code == 410
    html = page.get_data(as_text=True)
    assert f'lang="{language}"' in html and _expected(app, language) in html
    checkin = client.post(
        "/api/v1/checkin", json={"site": "musterstadt", "code": booked["raw_code"]}
    )
    assert checkin.status_code == 422
    assert checkin.get_json()["error"]["code"] == "invitation_expired"
    # A code that never existed stays unknown.
    unknown = client.post("/api/v1/checkin", json={"site": "musterstadt", "code": "ACDEFHJK"})
    assert unknown.get_json()["error"]["code"] == "unknown_code"
    # The letter's own page by its long token is gone too.
    assert client.get(f"/invitation/{booked['token']}").status_code == 404
