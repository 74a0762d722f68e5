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
sys.path.insert(0, str(ROOT))

from approvals.notices.facts import KIND_TITLES  # noqa: E402

OUT = ROOT / "approvals" / "notices" / "fonts"
TEMPLATES = ROOT / "templates" / "notices"
NOTO = Path("/usr/share/fonts/opentype/noto")
DEBIAN_COPYRIGHT = Path("/usr/share/doc/fonts-noto-cjk/copyright")
SC_INDEX = 2  # index of the Simplified Chinese face in Debian's Noto CJK collections

# family name given to the subsets: a modified OFL font should not pass for the original,
# and a distinct name stops fontconfig confusing it with the full system Noto.
FAMILY = "Approvals Notice Serif"
FACES = {
    "Regular": ("NotoSerifCJK-Regular.ttc", "notice-serif-regular.woff2"),
    "Bold": ("NotoSerifCJK-Bold.ttc", "notice-serif-bold.woff2"),
}

# Issuing bodies printed in the header and around the seal (DOMAIN.md's departments).
ISSUERS = [
    "市经贸局",
    "市财政局",
    "市科技局",
    "市外经贸局",
    "市招商局",
    "市人劳局",
    "人才办",
    "市工商局",
    "市质监局",
    "市府办",
    "市国土局",
    "市政府",
    "市人民政府",
]

# Punctuation and signs a notice uses beyond GB2312's symbol rows (GB2312 maps the
# dash to U+2015, notices use U+2014) and the capital numerals, for certainty.
EXTRA = (
    "〔〕【】《》〈〉「」『』“”‘’—–…·•、。，．：；！？（）％＋－×÷＝№℃￥¥"
    + "零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整"
)


def gb2312_rows(first: int, last: int) -> set[str]:
    chars = set()
    for row in range(first, last + 1):
        for cell in range(0xA1, 0xFF):
            try:
                chars.add(bytes((row, cell)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return chars


def template_text() -> str:
    """Characters the layouts always print, and the names that fill them most."""
    chars = "".join(KIND_TITLES.values()) + "".join(ISSUERS)
    for template in sorted(TEMPLATES.glob("*.html")):
        chars += "".join(char for char in template.read_text("utf-8") if ord(char) > 0x7F)
    return chars


def charset() -> str:
    chars = gb2312_rows(0xA1, 0xA9)  # symbols, full-width forms, kana, Greek, box drawing
    chars |= gb2312_rows(0xB0, 0xD7)  # level 1: the 3,755 common hanzi
    chars |= {chr(code) for code in range(0x20, 0x7F)}  # ASCII
    chars |= set(EXTRA)
    chars |= set(template_text())  # so a new word in a layout never falls back
    return "".join(sorted(char for char in chars if char.isprintable() or char == " "))


def build(source: Path, style: str, target: Path, text: str, first: str) -> None:
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
    reorder(font, first)
    rename(font, style)
    font.flavor = "woff2"
    target.parent.mkdir(parents=True, exist_ok=True)
    font.save(target)


def reorder(font: TTFont, first: str) -> None:
    """Put the glyphs of `first` at the front and give glyph n the CID n.

    WeasyPrint subsets with retained glyph ids, so every embedded font carries an
    empty slot for each glyph id below the highest one used: with the characters
    every notice prints at the front, the bold face (header, title, labels, seal)
    stays small. An identity CID order also matters for correctness: WeasyPrint
    writes glyph ids into the page as CIDs, and a viewer looks them up through the
    CFF charset, which after subsetting still holds Noto's original CIDs.
    """
    old = font.getGlyphOrder()
    cmap = font.getBestCmap()
    head = [".notdef"]
    for char in first:
        name = cmap.get(ord(char))
        if name is not None and name not in head:
            head.append(name)
    chosen = set(head)
    order = head + [name for name in old if name not in chosen]
    position = {name: gid for gid, name in enumerate(order)}
    new = [".notdef"] + [f"cid{gid:05d}" for gid in range(1, len(order))]

    top = font["CFF "].cff.topDictIndex[0]
    charstrings = top.CharStrings
    index = charstrings.charStringsIndex
    index.items = [index.items[charstrings.charStrings[name]] for name in order]
    charstrings.charStrings = {name: gid for gid, name in enumerate(new)}
    old_gid = {name: gid for gid, name in enumerate(old)}
    top.FDSelect.gidArray = [top.FDSelect.gidArray[old_gid[name]] for name in order]
    top.FDSelect.format = None
    top.charset = new
    hmtx = font["hmtx"]
    hmtx.metrics = {new[position[name]]: metrics for name, metrics in hmtx.metrics.items()}
    for table in font["cmap"].tables:
        table.cmap = {code: new[position[name]] for code, name in table.cmap.items()}
    font.setGlyphOrder(new)


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


def write_license(target: Path, source: Path) -> None:
    """The OFL travels with the fonts (its condition 2): copy it from Debian's copyright file."""
    text = source.read_text("utf-8")
    body = text.split("License: SIL-1.1\n", 2)[2].split("\nLicense: ", 1)[0]
    lines = [line[1:] if line.startswith(" ") else line for line in body.splitlines()]
    license_text = "\n".join("" if line == "." else line for line in lines).strip()
    target.write_text(
        "notice-serif-regular.woff2 and notice-serif-bold.woff2 are modified versions\n"
        '(subsets, renamed "Approvals Notice Serif") of Noto Serif CJK SC,\n'
        "© 2017-2022 Adobe (http://www.adobe.com/), made by scripts/subset_fonts.py from\n"
        "the Debian package fonts-noto-cjk. Noto is a trademark of Google Inc.\n\n"
        + license_text
        + "\n",
        encoding="utf-8",
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--source", type=Path, default=NOTO, help="folder of Noto CJK .ttc files")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    text = charset()
    # Front of the glyph order: digits and ASCII, punctuation, then the layouts' own text.
    first = "".join(chr(code) for code in range(0x20, 0x7F)) + EXTRA + template_text()
    for style, (source, target) in FACES.items():
        path = args.out / target
        build(args.source / source, style, path, text, first)
        print(f"{path.relative_to(ROOT)}: {len(text)} characters, {path.stat().st_size:,} bytes")
    write_license(args.out / "OFL.txt", DEBIAN_COPYRIGHT)
    return 0


if __name__ == "__main__":
    sys.exit(main())
