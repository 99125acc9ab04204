"""How an area's code and a Swedish postcode are written: the configuration, the admin
commands and sign-up all check them here, so that what a coordinator may create is exactly
what a resident can type."""

from __future__ import annotations

import re

AREA_CODE_MAX = 32
# Lowercase ASCII only: the code is typed after /join and travels in callback data, whose
# 64 bytes a longer or non-ASCII code could fill.
AREA_CODE = re.compile(rf"[a-z0-9_]{{1,{AREA_CODE_MAX}}}")
# A postnummer as stored: five digits, without the space it is usually written with.
POSTCODE = re.compile(r"\d{5}")
# What a resident types is meant as a postcode (and not an area code) when it is only digits
# and spaces.
POSTCODE_LIKE = re.compile(r"[\d\s]+")
# In a list of postcodes, "692 31" is one postcode, not two words.
POSTCODE_TOKEN = re.compile(r"\d{3} \d{2}(?!\d)|\S+")


def is_area_code(text: str) -> bool:
    return AREA_CODE.fullmatch(text) is not None


def looks_like_postcode(text: str) -> bool:
    return POSTCODE_LIKE.fullmatch(text) is not None


def normalise_postcode(text: str) -> str | None:
    """ "692 31" or "69231" as the stored "69231"; None when it is no postcode."""
    digits = re.sub(r"\s+", "", text)
    return digits if POSTCODE.fullmatch(digits) else None


def postcode_tokens(text: str) -> list[str]:
    """The postcodes in a typed list, each as written ("692 31", "69232", "x")."""
    return POSTCODE_TOKEN.findall(text)
