#!/usr/bin/env python3
"""Builds assets/fonts/NotoSansSC-Sichuan.otf: a subset of Noto Sans CJK SC (SIL OFL 1.1).

    apt-get install fonts-noto-cjk && pip install fonttools
    python3 scripts/fonts/subset.py

The character set is the union of GB2312 level 1 (3,755 common hanzi), every character in the
atlas's data (geodata/: names, former names, designations, sources) and in the program's
strings (src/), ASCII, CJK punctuation, full-width forms and a few symbols. GB2312 level 1 alone
misses 19 Sichuan place-name characters (郫, 邛, 崃, 泸, 阆, ...), which the data scan adds.
Locale and vertical-layout features are dropped: the atlas sets horizontal Simplified Chinese.
"""

import pathlib
import sys

from fontTools import subset
from fontTools.ttLib import TTCollection

ROOT = pathlib.Path(__file__).resolve().parents[2]
SOURCE = pathlib.Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
SC_INDEX = 2  # Noto Sans CJK SC inside the collection
OUT = ROOT / "assets" / "fonts" / "NotoSansSC-Sichuan.otf"
FAMILY = "Noto Sans SC Sichuan Subset"


def gb2312_level1():
    chars = set()
    for row in range(0xB0, 0xD8):
        for cell in range(0xA1, 0xFF):
            try:
                chars.add(bytes([row, cell]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return chars


def scanned():
    chars = set()
    for pattern in ["geodata/**/*.csv", "geodata/**/*.md", "src/**/*.rs", "README.md"]:
        for path in ROOT.glob(pattern):
            chars.update(path.read_text(encoding="utf-8"))
    cageo = (ROOT / "geodata" / "sichuan_counties.cageo").read_bytes()
    header_len = int.from_bytes(cageo[8:12], "little")
    chars.update(cageo[12 : 12 + header_len].decode("utf-8"))
    neighbours = (ROOT / "geodata" / "neighbor_provinces.cageo").read_bytes()
    header_len = int.from_bytes(neighbours[8:12], "little")
    chars.update(neighbours[12 : 12 + header_len].decode("utf-8"))
    return {c for c in chars if ord(c) >= 0x80}


def main():
    level1 = gb2312_level1()
    extra = scanned() - level1
    text = "".join(sorted(level1 | extra))
    unicodes = [*range(0x20, 0x7F), 0xB7, 0xB0, 0xB2, 0xB3, 0xD7, 0x2014, 0x2013, 0x2026, 0x2018, 0x2019, 0x201C, 0x201D,
                0x2190, 0x2191, 0x2192, 0x2193, 0x2264, 0x2265, 0x2212, 0x25B2, 0x25BC, 0x25CF, 0x2715, 0x2713,
                *range(0x3000, 0x3040), *range(0xFF01, 0xFF5F)]
    font = TTCollection(str(SOURCE)).fonts[SC_INDEX]
    options = subset.Options()
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.drop_tables += ["VORG", "vhea", "vmtx", "BASE"]
    # Horizontal text only: keeping locl/vert/width variants would pull in thousands of
    # alternate glyphs (the SC face's default forms are already the Simplified Chinese ones).
    options.layout_features = ["ccmp", "kern", "liga", "calt", "mark", "mkmk"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text, unicodes=unicodes)
    subsetter.subset(font)
    for record in font["name"].names:
        if record.nameID in (1, 16):
            record.string = FAMILY
        elif record.nameID in (3, 4):
            record.string = f"{FAMILY} Regular"
        elif record.nameID == 6:
            record.string = "NotoSansSC-Sichuan"
    OUT.parent.mkdir(parents=True, exist_ok=True)
    font.save(str(OUT))
    missing = [c for c in extra if ord(c) not in font.getBestCmap()]
    print(f"{OUT.relative_to(ROOT)}: {OUT.stat().st_size} bytes, {len(font.getGlyphOrder())} glyphs; "
          f"{len(level1)} GB2312 level-1 + {len(extra)} more characters; not in Noto: {''.join(missing) or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
