"""One way to send a file: the Content-Disposition header every download uses (RFC 6266).

Django's HttpResponse MIME-encodes a whole header value that is not Latin-1
(``=?utf-8?b?…?=``), which browsers ignore, and ``django.utils.http.content_disposition_header``
gives no ASCII fallback for old clients. Here the header carries both: ``filename="…"`` with an
ASCII transliteration (Cyrillic and Kazakh letters in Latin, anything else as "_") and
``filename*=UTF-8''…`` with the real name percent-encoded (RFC 5987/8187).
"""

from __future__ import annotations

import re
from urllib.parse import quote

from django.http import HttpResponse

_LATIN = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһі",
        [
            "a",
            "b",
            "v",
            "g",
            "d",
            "e",
            "e",
            "zh",
            "z",
            "i",
            "y",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "kh",
            "ts",
            "ch",
            "sh",
            "shch",
            "-",
            "y",
            "-",
            "e",
            "yu",
            "ya",
            "a",
            "g",
            "q",
            "n",
            "o",
            "u",
            "u",
            "h",
            "i",
        ],
        strict=True,
    )
)
_LATIN["ъ"] = _LATIN["ь"] = ""
_UNSAFE = re.compile(r"[^A-Za-z0-9._\-+ ()\[\]]")


def ascii_filename(name: str) -> str:
    """`name` in ASCII letters for the plain ``filename=`` parameter: «СП-2026-000001.pdf» → «SP-2026-000001.pdf»."""
    letters = []
    for char in name:
        latin = _LATIN.get(char.lower())
        if latin is None:
            letters.append(char)
        else:
            letters.append(latin.capitalize() if char.isupper() and latin else latin)
    return _UNSAFE.sub("_", "".join(letters)).strip() or "download"


def content_disposition(filename: str, *, attachment: bool = True) -> str:
    """``attachment; filename="SP-2026-000001.pdf"; filename*=UTF-8''%D0%A1%D0%9F-2026-000001.pdf``."""
    disposition = "attachment" if attachment else "inline"
    fallback = ascii_filename(filename)
    if fallback == filename:
        return f'{disposition}; filename="{fallback}"'
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def file_response(content: bytes, media_type: str, filename: str, *, attachment: bool = True) -> HttpResponse:
    """An HttpResponse sending `content` as a file named `filename`."""
    response = HttpResponse(content, content_type=media_type)
    response["Content-Disposition"] = content_disposition(filename, attachment=attachment)
    return response
