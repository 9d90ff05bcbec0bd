"""Phone numbers: ordinary numbers checked with `phonenumbers`, short codes from our own table.

`phonenumbers` drops the `#` of #9110 and rejects 188, so short codes are an explicit list.
"""

from __future__ import annotations

import phonenumbers

from .model import Phone, PhoneFee

# Short codes that exist in Japan and may appear in the data, with what they are.
SHORT_CODES: dict[str, str] = {
    "110": "警察への緊急通報",
    "119": "消防・救急",
    "118": "海上保安庁への緊急通報",
    "188": "消費者ホットライン",
    "189": "児童相談所虐待対応ダイヤル",
    "#9110": "警察相談専用電話",
    "#8008": "DV相談ナビ",
    "#8103": "性犯罪被害相談電話",
    "#8891": "性犯罪・性暴力被害者のためのワンストップ支援センター",
    "#7119": "救急安心センター",
    "#8000": "こども医療電話相談",
}


def problem(phone: Phone) -> str | None:
    """Why a phone entry is wrong, or None when it is fine."""
    number = phone.number
    if phone.fee in (PhoneFee.short_code, PhoneFee.emergency):
        if number not in SHORT_CODES:
            return f"{number}: 短縮番号の一覧 (SHORT_CODES) にない番号です"
        return None
    if number.startswith("#") or number in SHORT_CODES:
        return f"{number}: 短縮番号なのに fee が {phone.fee.value} です（short_code か emergency）"
    try:
        parsed = phonenumbers.parse(number, "JP")
    except phonenumbers.NumberParseException as exc:
        return f"{number}: 電話番号として読めません ({exc})"
    if not phonenumbers.is_valid_number(parsed):
        return f"{number}: 日本の電話番号として無効です"
    digits = number.replace("-", "")
    if phone.fee is PhoneFee.toll_free and not digits.startswith(("0120", "0800")):
        return f"{number}: toll_free ですが 0120/0800 で始まっていません"
    if phone.fee is PhoneFee.navi_dial and not digits.startswith("0570"):
        return f"{number}: navi_dial ですが 0570 で始まっていません"
    if digits.startswith(("0120", "0800")) and phone.fee is not PhoneFee.toll_free:
        return f"{number}: 0120/0800 は toll_free のはずです"
    if digits.startswith("0570") and phone.fee is not PhoneFee.navi_dial:
        return f"{number}: 0570 は navi_dial のはずです"
    return None


def e164(phone: Phone) -> str:
    """The number for a tel: link: E.164 for ordinary numbers, the code itself for short ones."""
    if phone.number in SHORT_CODES:
        return phone.number
    try:
        parsed = phonenumbers.parse(phone.number, "JP")
    except phonenumbers.NumberParseException:
        return phone.dial
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
