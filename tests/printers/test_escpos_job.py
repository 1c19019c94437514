"""The ESC/POS bytes of one ticket: initialise, raster image, feed, cut."""

import pytest
from PIL import Image, ImageDraw

from printers import PrinterConfigError, render_ticket
from printers.escpos_job import build_job

INIT = b"\x1b\x40"  # ESC @
RASTER = b"\x1d\x76\x30"  # GS v 0
FEED_6 = b"\x1b\x64\x06"  # ESC d 6
PARTIAL_CUT, FULL_CUT = b"\x1d\x56\x01", b"\x1d\x56\x00"  # GS V 1 / GS V 0


def raster_blocks(job: bytes) -> list[tuple[int, int]]:
    """Return (bytes per row, rows) of each GS v 0 block, walking the job from its start."""
    blocks, at = [], len(INIT)
    while job.startswith(RASTER, at):
        width_bytes = int.from_bytes(job[at + 4 : at + 6], "little")
        rows = int.from_bytes(job[at + 6 : at + 8], "little")
        blocks.append((width_bytes, rows))
        at += 8 + width_bytes * rows
    return blocks


@pytest.mark.parametrize("width", [384, 576])
def test_job_initialises_prints_the_raster_image_then_feeds_and_cuts(ticket_view, width):
    image = render_ticket(ticket_view("ar"), width)

    job = build_job(image, max_width_px=width)

    assert job.startswith(INIT + RASTER)
    assert job.endswith(FEED_6 + PARTIAL_CUT)
    blocks = raster_blocks(job)
    assert {width_bytes for width_bytes, _ in blocks} == {width // 8}
    assert sum(rows for _, rows in blocks) == image.height
    assert len(job) == len(INIT) + sum(8 + w * r for w, r in blocks) + len(FEED_6 + PARTIAL_CUT)


def test_raster_rows_carry_the_image_black_dots_as_set_bits():
    image = Image.new("1", (64, 2), 1)
    ImageDraw.Draw(image).line((0, 1, 7, 1), fill=0)  # first 8 dots of the second row black

    job = build_job(image, max_width_px=64)

    header = RASTER + b"\x00" + (8).to_bytes(2, "little") + (2).to_bytes(2, "little")
    assert job.startswith(INIT + header + bytes(8) + b"\xff" + bytes(7))


@pytest.mark.parametrize(("cut", "ending"), [("full", FULL_CUT), ("partial", PARTIAL_CUT)])
def test_cut_mode_is_sent(cut, ending):
    job = build_job(Image.new("1", (576, 10), 1), cut=cut)

    assert job.endswith(FEED_6 + ending)


def test_no_cut_only_feeds_for_printers_with_a_tear_bar():
    job = build_job(Image.new("1", (576, 10), 1), cut="none")

    assert job.endswith(FEED_6)
    assert b"\x1d\x56" not in job[-8:]


def test_building_a_job_prints_nothing_to_stdout(capsys):
    build_job(Image.new("1", (576, 10), 1))

    assert capsys.readouterr().out == ""


def test_image_wider_than_the_paper_is_refused_with_a_clear_message():
    with pytest.raises(PrinterConfigError, match="576 dots wide.*at most 384"):
        build_job(Image.new("1", (576, 10), 1), max_width_px=384)


def test_unknown_cut_mode_is_refused():
    with pytest.raises(PrinterConfigError, match="cut"):
        build_job(Image.new("1", (576, 10), 1), cut="half")
