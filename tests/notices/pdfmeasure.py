"""Measure a rendered PDF as an official would: words and lines with their boxes (pdftotext
-bbox-layout), and where the red ink is (pdftoppm). Lengths in millimetres from the page's
top-left corner."""

from __future__ import annotations

import io
import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image, ImageChops

PT = 25.4 / 72  # millimetres per point
NS = {"x": "http://www.w3.org/1999/xhtml"}


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    right: float
    bottom: float

    def intersects(self, other: Box) -> bool:
        return (
            self.left < other.right
            and other.left < self.right
            and self.top < other.bottom
            and other.top < self.bottom
        )

    @property
    def centre_x(self) -> float:
        return (self.left + self.right) / 2


@dataclass(frozen=True)
class Word:
    text: str
    box: Box


@dataclass(frozen=True)
class Line:
    words: tuple[Word, ...]
    box: Box

    @property
    def text(self) -> str:
        return "".join(word.text for word in self.words)


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} not found: install the Debian package poppler-utils")
    return path


def _box(element) -> Box:
    return Box(*(float(element.get(key)) * PT for key in ("xMin", "yMin", "xMax", "yMax")))


def pages_of(pdf: bytes, tmp_path: Path) -> list[list[Line]]:
    """The text lines of every page, each with its words."""
    path = tmp_path / "measure.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(
        [_tool("pdftotext"), "-bbox-layout", str(path), "-"],
        capture_output=True,
        check=True,
    ).stdout
    root = ET.fromstring(out)
    pages = []
    for page in root.iter(f"{{{NS['x']}}}page"):
        lines = []
        for line in page.iter(f"{{{NS['x']}}}line"):
            words = tuple(
                Word(word.text or "", _box(word)) for word in line.iter(f"{{{NS['x']}}}word")
            )
            lines.append(Line(words, _box(line)))
        pages.append(lines)
    return pages


def red_ink(pdf: bytes, tmp_path: Path, dpi: int = 150) -> list[Image.Image]:
    """Per page, a mask of the red pixels (masthead, rules, seal), at `dpi`."""
    path = tmp_path / "ink.pdf"
    path.write_bytes(pdf)
    subprocess.run(
        [_tool("pdftoppm"), "-r", str(dpi), "-png", str(path), str(tmp_path / "ink")],
        check=True,
    )
    masks = []
    for png in sorted(tmp_path.glob("ink-*.png")):
        red, green, blue = Image.open(io.BytesIO(png.read_bytes())).convert("RGB").split()
        masks.append(
            ImageChops.multiply(
                ImageChops.multiply(
                    red.point(lambda v: 255 if v > 150 else 0),
                    green.point(lambda v: 255 if v < 120 else 0),
                ),
                blue.point(lambda v: 255 if v < 130 else 0),
            )
        )
        png.unlink()
    return masks


def _dpi(mask: Image.Image) -> float:
    return mask.width * 25.4 / 210  # an A4 page is 210 mm wide


def ink_box(mask: Image.Image, top_mm: float = 0, bottom_mm: float = 297) -> Box | None:
    """The box around the red ink between two heights of the page."""
    scale = _dpi(mask) / 25.4  # pixels per millimetre
    top = round(top_mm * scale)
    box = mask.crop((0, top, mask.width, round(bottom_mm * scale))).getbbox()
    if box is None:
        return None
    left, upper, right, lower = box
    return Box(left / scale, (upper + top) / scale, right / scale, (lower + top) / scale)


@dataclass(frozen=True)
class Band:
    """Consecutive pixel rows holding one long horizontal red line."""

    top: float
    bottom: float
    left: float
    right: float

    @property
    def thickness(self) -> float:
        return self.bottom - self.top


def rules(mask: Image.Image, min_length_mm: float = 150) -> list[Band]:
    """Horizontal red lines at least `min_length_mm` long, top to bottom."""
    scale = _dpi(mask) / 25.4
    bands: list[Band] = []
    current = None
    for y in range(mask.height):
        row = mask.crop((0, y, mask.width, y + 1))
        box = row.getbbox()
        if box is not None and row.histogram()[255] >= min_length_mm * scale:
            if current is None:
                current = [y / scale, (y + 1) / scale, box[0] / scale, box[2] / scale]
            else:
                current[1] = (y + 1) / scale
        elif current is not None:
            bands.append(Band(*current))
            current = None
    if current is not None:
        bands.append(Band(*current))
    return bands
