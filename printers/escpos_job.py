"""Turn a ticket image into the bytes of one ESC/POS print job, using python-escpos.

The whole job is built in memory with python-escpos's Dummy printer before any printer is
touched: a width error shows up before a connection is opened, the connection is held only
while bytes flow, and every backend receives exactly the same bytes.
"""

import copy
import functools

from escpos.capabilities import Profile, get_profile_class
from escpos.exceptions import ImageWidthError
from escpos.printer import Dummy
from PIL import Image

from .errors import PrinterConfigError

CUT_MODES = {"partial": "PART", "full": "FULL"}  # and "none": feed only, for tear-off printers
FEED_LINES = 6  # what python-escpos feeds before a cut: moves the last line past the blade


@functools.cache
def ticket_profile(width_px: int) -> Profile:
    """Return a python-escpos profile for a generic ESC/POS printer with width_px dots a line.

    Why not a named profile: python-escpos's default profile has no paper width, so it prints
    a warning to stdout for every image; named ones fix a width (TM-T88V 512, TM-T20II 576)
    or lack cut support, and then cut() silently sends no cut command at all.
    """
    data = copy.deepcopy(get_profile_class("default").profile_data)
    data["name"] = f"Anlaufstelle ticket printer, {width_px} dots"
    data["media"] = {"width": {"mm": round(width_px / 8, 1), "pixels": width_px}}  # 203 dpi
    data["features"].update(bitImageRaster=True, paperFullCut=True, paperPartCut=True)
    # python-escpos takes a profile object only if it is a Profile; Profile keeps its features
    # on the instance and reads everything else, such as the width, from profile_data.
    profile_class = type(f"TicketProfile{width_px}", (Profile,), {"profile_data": data})
    return profile_class(features=data["features"])


def build_job(image: Image.Image, *, max_width_px: int = 576, cut: str = "partial") -> bytes:
    """Return the ESC/POS bytes that print image and cut the paper.

    The job starts with ESC @ (python-escpos sends no initialisation by itself), then the image
    as GS v 0 raster blocks, then a feed and a GS V cut (cut is "partial", "full" or "none").
    Raises PrinterConfigError when image is wider than max_width_px.
    """
    if cut not in (*CUT_MODES, "none"):
        raise PrinterConfigError(f"cut must be partial, full or none, not {cut!r}")
    printer = Dummy(profile=ticket_profile(max_width_px))
    printer.hw("INIT")
    try:
        printer.image(image, impl="bitImageRaster")
    except ImageWidthError as exc:
        raise PrinterConfigError(
            f"the ticket image is {image.width} dots wide but the printer takes at most "
            f"{max_width_px}; render it with width_px={max_width_px} or fix the printer's width"
        ) from exc
    if cut == "none":
        printer.print_and_feed(FEED_LINES)
    else:
        printer.cut(mode=CUT_MODES[cut])
    return printer.output
