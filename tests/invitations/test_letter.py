"""The invitation letter: page in five languages, PDF, QR code, the check-in hint page."""

from __future__ import annotations

import base64
import io
import re
import subprocess
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from tests.conftest import need_program
from tests.invitations.conftest import weekday_at

NOTE = "Interner Vermerk: Dolmetscher bestellen"
RTL = {"ar", "ckb"}
TITLES = {
    "de": "Einladung zu Ihrem Termin",
    "en": "Invitation to your appointment",
    "ar": "دعوة إلى موعدك",
    "ku": "Vexwendin ji bo randevûya we",
    "ckb": "بانگهێشتنامە بۆ ژوانەکەتان",
}


def _path(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def _decode(image: Image.Image) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(image)]


@pytest.mark.parametrize("language", ["de", "en", "ar", "ku", "ckb"])
def test_the_letter_page_speaks_the_visitors_language_and_german(client, book, language):
    booked = book(weekday_at(3, 9, 45), language=language, note=NOTE)
    response = client.get(_path(booked["invitation_url"]))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    direction = "rtl" if language in RTL else "ltr"
    assert re.search(rf'<html lang="{language}" dir="{direction}">', page)
    assert f'<section class="letter-column" lang="{language}" dir="{direction}">' in page
    assert TITLES[language] in page
    if language != "de":
        assert '<section class="letter-column" lang="de" dir="ltr">' in page
        assert TITLES["de"] in page
        assert page.index(f'lang="{language}" dir') < page.index('lang="de" dir="ltr">')
    assert f'<bdi dir="ltr" class="number" data-code>{booked["code"]}</bdi>' in page
    assert "09:45" in page
    assert "Rathausplatz 1" in page
    assert NOTE not in page and "Dolmetscher" not in page


def test_the_letter_lists_what_to_bring_in_both_languages(client, book):
    booked = book(weekday_at(3, 10), language="ar")
    page = client.get(_path(booked["invitation_url"])).get_data(as_text=True)
    assert "جواز السفر أو بديل الهوية" in page
    assert "Reisepass oder Ausweisersatz" in page
    assert "الطابق الثاني" in page and "2. Obergeschoss" in page
    # Check-in window: 60 minutes before to 15 after the start.
    assert "09:00" in page and "10:15" in page


def test_the_qr_code_on_the_page_opens_the_checkin_address_with_the_code(client, book):
    booked = book(weekday_at(3, 10, 15), language="ku")
    page = client.get(_path(booked["invitation_url"])).get_data(as_text=True)
    data = re.search(r'src="data:image/png;base64,([^"]+)"', page).group(1)
    decoded = _decode(Image.open(io.BytesIO(base64.b64decode(data))))
    assert decoded == [f"http://127.0.0.1:5000/c/{booked['raw_code']}"]


def test_an_unknown_letter_token_is_404(client, book):
    book(weekday_at(3, 10))
    assert client.get("/invitation/not-a-token").status_code == 404
    assert client.get("/invitation/not-a-token.pdf").status_code == 404


@pytest.mark.parametrize("language", ["ar", "ckb", "de"])
def test_the_pdf_is_one_a4_page_whose_qr_code_decodes(client, book, tmp_path: Path, language):
    need_program("pdftoppm", "poppler-utils")
    booked = book(weekday_at(3, 11), language=language, note=NOTE)
    response = client.get(_path(booked["invitation_url"]) + ".pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    assert NOTE.encode() not in response.data
    pdf = tmp_path / "letter.pdf"
    pdf.write_bytes(response.data)
    subprocess.run(
        ["pdftoppm", "-r", "100", "-png", "-singlefile", str(pdf), str(tmp_path / "page")],
        check=True,
        timeout=60,
    )
    page = Image.open(tmp_path / "page.png").convert("L")
    assert page.size == (827, 1170)  # A4 at 100 dpi
    ink = sum(page.histogram()[:128]) / (page.width * page.height)
    assert 0.02 < ink < 0.4
    assert _decode(page) == [f"http://127.0.0.1:5000/c/{booked['raw_code']}"]
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    assert re.search(r"Pages:\s+1\b", info.stdout)


def test_the_pdf_draws_sorani_joined_and_right_aligned():
    """The visitor's column is drawn by raqm: ە joins, and RTL lines end at the right edge."""
    from server.invitations import pdf
    from server.invitations.letter import Letter, LetterText

    def text(language: str, rtl: bool, words: str) -> LetterText:
        return LetterText(
            language, rtl, words, words, "", "", "", "", "", (), "", None, "", "", "", "", "", ""
        )

    sorani = "ئەم نامەیە"
    page = pdf.render_image(
        Letter(
            "Site",
            "ACDE-FH34",
            "http://x/c/ACDEFH34",
            "01.12.2026",
            "09:30",
            (text("ckb", True, sorani), text("de", False, "Einladung")),
        )
    )
    assert page.size == pdf.PAGE
    # The Sorani column is on the right half; its title ends at the right margin.
    right_half = page.crop((pdf.PAGE[0] // 2, 0, pdf.PAGE[0], pdf.PAGE[1]))
    box = right_half.point(lambda v: 255 - v).getbbox()
    assert box is not None
    assert abs((pdf.PAGE[0] // 2 + box[2]) - (pdf.PAGE[0] - pdf.MARGIN)) < 20
    # Joined letters are narrower than the same letters drawn one by one.
    from PIL import ImageFont

    from printers.fonts import find_fonts

    font = ImageFont.truetype(str(find_fonts().arabic), 60, layout_engine=ImageFont.Layout.RAQM)
    joined = font.getlength("نامەیە", direction="rtl", language="ckb")
    apart = sum(font.getlength(char, direction="rtl") for char in "نامەیە")
    assert joined < apart


@pytest.mark.parametrize("language", ["ar", "ku"])
def test_the_qr_address_shows_a_short_hint_page_in_the_visitors_language(
    client,
    book,
    language,
):
    booked = book(weekday_at(3, 12), language=language, note=NOTE)
    response = client.get(f"/c/{booked['raw_code']}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    direction = "rtl" if language in RTL else "ltr"
    assert f'<html lang="{language}" dir="{direction}">' in page
    assert f'<bdi dir="ltr" class="number" data-code>{booked["code"]}</bdi>' in page
    assert NOTE not in page
    assert booked["token"] not in page  # the code does not lead to the letter's address
    assert client.get("/c/AAAAAAAA").status_code == 404
