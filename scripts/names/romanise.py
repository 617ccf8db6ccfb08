#!/usr/bin/env python3
"""Writes geodata/names_en.csv: the English name of every unit the atlas draws.

Hanyu Pinyin without tones (GB/T 16159, the form China's State Council prescribes for place
names in English), syllables joined, an apostrophe before a syllable that starts with a vowel
(Ruo'ergai), followed by the standard suffix of the unit's kind: District (区), County (县),
City (市), Autonomous County / Prefecture with the people named (藏族 → Tibetan). The
pinyin comes from pypinyin's phrase dictionary; the readings of characters whose place-name
reading differs from the everyday one are fixed below, each checked against the name the
unit's own government uses in English.

    pip install pypinyin==0.55.0
    python3 scripts/names/romanise.py ../shared/data/boundaries geodata/names_en.csv
"""

import csv
import json
import sys
from pathlib import Path

from pypinyin import Style, lazy_pinyin

# Place-name readings (文读/地名读音) that a dictionary's first reading gets wrong.
READINGS = {
    "犍为": ["qian", "wei"],
    "筠连": ["jun", "lian"],
    "荥经": ["ying", "jing"],
    "长宁": ["chang", "ning"],
    "乐山": ["le", "shan"],
    "乐至": ["le", "zhi"],
    "会理": ["hui", "li"],
    "会东": ["hui", "dong"],
    "重庆": ["chong", "qing"],
    "都江堰": ["du", "jiang", "yan"],
    "蓬溪": ["peng", "xi"],
    "阆中": ["lang", "zhong"],
    "华蓥": ["hua", "ying"],
    "成华": ["cheng", "hua"],
    "朝天": ["chao", "tian"],
    "巴塘": ["ba", "tang"],
    "理塘": ["li", "tang"],
    "沙湾": ["sha", "wan"],
    "大邑": ["da", "yi"],
    "新都": ["xin", "du"],
    "郫都": ["pi", "du"],
    "什邡": ["shi", "fang"],
    "单": ["shan"],
}

# Peoples named in autonomous units' names.
PEOPLES = {
    "藏族羌族": "Tibetan and Qiang",
    "藏族": "Tibetan",
    "彝族": "Yi",
    "羌族": "Qiang",
}

# Provinces whose English spelling is fixed by convention.
PROVINCES = {
    "四川省": "Sichuan Province",
    "重庆市": "Chongqing Municipality",
    "云南省": "Yunnan Province",
    "贵州省": "Guizhou Province",
    "陕西省": "Shaanxi Province",
    "甘肃省": "Gansu Province",
    "青海省": "Qinghai Province",
    "西藏自治区": "Xizang (Tibet) Autonomous Region",
}

VOWELS = "aeo"

# The boundary source still gives 会理市 the code of the former 会理县; the atlas uses the
# 2021 code (geodata/SOURCES.md, "Codes").
CODE_CORRECTIONS = {"513425": "513402"}


def pinyin(stem: str) -> str:
    """The stem in pinyin, first letter capital, apostrophes where syllables would run on."""
    syllables: list[str] = []
    rest = stem
    while rest:
        for phrase, reading in sorted(READINGS.items(), key=lambda kv: -len(kv[0])):
            if rest.startswith(phrase):
                syllables += reading
                rest = rest[len(phrase):]
                break
        else:
            syllables += lazy_pinyin(rest[0], style=Style.NORMAL, errors="exception")
            rest = rest[1:]
    # pypinyin reads phrases better than characters one by one: take its reading of the whole
    # stem unless a fixed reading applied.
    if not any(p in stem for p in READINGS):
        syllables = lazy_pinyin(stem, style=Style.NORMAL, errors="exception")
    text = syllables[0]
    for s in syllables[1:]:
        text += ("'" if s[0] in VOWELS else "") + s
    return text[0].upper() + text[1:]


def english(name: str, level: str) -> str:
    if name in PROVINCES:
        return PROVINCES[name]
    for suffix, kind in (("自治州", "Autonomous Prefecture"), ("自治县", "Autonomous County")):
        if name.endswith(suffix):
            stem = name[: -len(suffix)]
            for people, english_people in PEOPLES.items():
                if stem.endswith(people):
                    return f"{pinyin(stem[: -len(people)])} {english_people} {kind}"
            raise SystemExit(f"{name}: no people known for this autonomous unit")
    if name.endswith("区"):
        # 市中区 (two of them) and two-character districts keep their whole name.
        return f"{pinyin(name[:-1])} District"
    if name.endswith("县"):
        return f"{pinyin(name[:-1])} County"
    if name.endswith("市"):
        return f"{pinyin(name[:-1])} City" if level != "prefecture" else f"{pinyin(name[:-1])}"
    raise SystemExit(f"{name}: no suffix rule")


def main() -> None:
    boundaries, out = Path(sys.argv[1]), Path(sys.argv[2])
    rows = []
    for file, level in (
        ("sichuan_province.geojson", "province"),
        ("sichuan_prefectures.geojson", "prefecture"),
        ("sichuan_counties.geojson", "county"),
        ("neighbor_provinces.geojson", "province"),
    ):
        data = json.loads((boundaries / file).read_text(encoding="utf-8"))
        for feature in data["features"]:
            p = feature["properties"]
            name = p["name"]
            code = CODE_CORRECTIONS.get(p["adcode"], p["adcode"])
            rows.append((code, name, level, english(name, level)))
    with out.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["adcode", "name", "level", "name_en"])
        writer.writerows(rows)
    print(f"{out}: {len(rows)} names")


if __name__ == "__main__":
    main()
