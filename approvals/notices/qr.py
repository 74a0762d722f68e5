"""QR codes for notices: one pixel per module, drawn unsmoothed so the edges stay sharp."""

from __future__ import annotations

import base64
import io

import qrcode
from PIL import Image
from qrcode.constants import ERROR_CORRECT_M

QUIET_ZONE = 4  # modules of white around the code, as ISO/IEC 18004 requires
# Choosing the best of the eight masks costs ~3.3 ms, 7% of a notice. Any mask is a
# valid code; on 60 verification URLs (…/verify/XXXX-XXXX-XXXX) mask 2 scored on
# average 1.5% (at worst 17%) above the best mask's penalty, so take it outright.
MASK = 2


def qr_png(data: str) -> bytes:
    """Encode data (the verification URL) as a PNG with one pixel per module.

    The notice scales it with image-rendering: pixelated, which WeasyPrint writes
    as /Interpolate false: viewers and printers enlarge each pixel to a sharp
    square. An SVG path of the same code costs WeasyPrint ~8 ms to parse per page;
    this costs well under one.
    """
    # Level M survives a smudged printout (15% damage), the realistic threat
    # for a paper notice photocopied or faxed on.
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=QUIET_ZONE, mask_pattern=MASK)
    code.add_data(data)
    code.make(fit=True)
    matrix = code.get_matrix()
    size = len(matrix)
    pixels = bytes(0 if dark else 255 for row in matrix for dark in row)
    image = Image.frombytes("L", (size, size), pixels)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()


def qr_data_uri(data: str) -> str:
    return "data:image/png;base64," + base64.b64encode(qr_png(data)).decode("ascii")
