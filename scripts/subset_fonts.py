"""Regenerate the notice fonts: Debian's Noto Serif CJK SC cut down to GB2312 level 1."""

# Run from the repository root: .venv/bin/python scripts/subset_fonts.py
# Needs the Debian package fonts-noto-cjk and fontTools (the "dev" extra).
# A full CJK face embeds ~300 KB per page and takes ~145 ms to subset per render;
# cut to ~4,500 glyphs it embeds a few tens of KB and renders in well under 50 ms.

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "approvals" / "notices" / "fonts"
TEMPLATES = ROOT / "templates" / "notices"
NOTO = Path("/usr/share/fonts/opentype/noto")
SC_INDEX = 2  # index of the Simplified Chinese face in Debian's Noto CJK collections

# family name given to the subsets: a modified OFL font should not pass for the original,
# and a distinct name stops fontconfig confusing it with the full system Noto.
FAMILY = "Approvals Notice Serif"
FACES = {
    "Regular": ("NotoSerifCJK-Regular.ttc", "notice-serif-regular.woff2"),
    "Bold": ("NotoSerifCJK-Bold.ttc", "notice-serif-bold.woff2"),
}

# Punctuation and signs a notice uses beyond GB2312's symbol rows (GB2312 maps the
# dash to U+2015, notices use U+2014) and the capital numerals, for certainty.
EXTRA = "〔〕【】《》〈〉「」『』“”‘’—–…·•、。，．：；！？（）％＋－×÷＝№℃￥¥" + "零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整"


def gb2312_rows(first: int, last: int) -> set[str]:
    chars = set()
    for row in range(first, last + 1):
        for cell in range(0xA1, 0xFF):
            try:
                chars.add(bytes((row, cell)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return chars


def charset() -> str:
    chars = gb2312_rows(0xA1, 0xA9)  # symbols, full-width forms, kana, Greek, box drawing
    chars |= gb2312_rows(0xB0, 0xD7)  # level 1: the 3,755 common hanzi
    chars |= {chr(code) for code in range(0x20, 0x7F)}  # ASCII
    chars |= set(EXTRA)
    # Whatever the layouts print themselves, so a new word never falls back.
    for template in sorted(TEMPLATES.glob("*.html")):
        chars |= {char for char in template.read_text("utf-8") if ord(char) > 0x7F}
    return "".join(sorted(char for char in chars if char.isprintable() or char == " "))


def build(source: Path, style: str, target: Path, text: str) -> None:
    options = subset.Options()
    # Shaping features pull in thousands of vertical and regional alternates that a
    # horizontal Simplified Chinese notice never uses; WeasyPrint drops GSUB/GPOS anyway.
    options.layout_features = []
    options.drop_tables += ["GSUB", "GPOS", "BASE", "VORG", "vhea", "vmtx", "DSIG"]
    options.hinting = False
    # WeasyPrint desubroutinizes on every render; doing it once here is faster later
    # and Brotli compresses the flat charstrings better than the subroutinized ones.
    options.desubroutinize = True
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 7, 11, 13, 14]
    options.flavor = "woff2"
    font = TTFont(source, fontNumber=SC_INDEX, lazy=False, recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    rename(font, style)
    font.flavor = "woff2"
    target.parent.mkdir(parents=True, exist_ok=True)
    font.save(target)


def rename(font: TTFont, style: str) -> None:
    postscript = FAMILY.replace(" ", "") + "-" + style
    names = font["name"]
    for record in list(names.names):
        if record.nameID in (1, 3, 4, 6):
            names.removeNames(nameID=record.nameID)
    names.setName(FAMILY, 1, 3, 1, 0x409)
    names.setName(style, 2, 3, 1, 0x409)
    names.setName(f"{postscript};subset of Noto Serif CJK SC", 3, 3, 1, 0x409)
    names.setName(f"{FAMILY} {style}", 4, 3, 1, 0x409)
    names.setName(postscript, 6, 3, 1, 0x409)
    font["CFF "].cff.fontNames = [postscript]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--source", type=Path, default=NOTO, help="folder of Noto CJK .ttc files")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    text = charset()
    for style, (source, target) in FACES.items():
        path = args.out / target
        build(args.source / source, style, path, text)
        print(f"{path.relative_to(ROOT)}: {len(text)} characters, {path.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
