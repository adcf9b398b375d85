"""Font checks of a template: fonts LibreOffice will substitute, and fonts without Kazakh letters.

LibreOffice renders Times New Roman with Liberation Serif, Arial with Liberation Sans and Calibri
with Carlito: metric-compatible, so the layout holds. Other missing fonts fall back to a font of
different metrics (the layout shifts), and a font without the Kazakh letters makes LibreOffice
borrow glyphs from another font. These are warnings for the uploader, not reasons to refuse.
Call :func:`font_warnings` only on a template that passed :func:`validation.validate_template`.
"""

from __future__ import annotations

import functools
import io
import re
import shutil
import subprocess
import zipfile

from django.utils.translation import gettext

from doctemplates.validation import Problem

# Word font → metric-compatible family that LibreOffice uses in its place.
METRIC_COMPATIBLE = {
    "Times New Roman": "Liberation Serif",
    "Arial": "Liberation Sans",
    "Courier New": "Liberation Mono",
    "Calibri": "Carlito",
    "Cambria": "Caladea",
}
KAZAKH_CHARSET = "04D9 0493 049B 04A3 04E9 04B1 04AF 04BB 0456"
_RFONTS = re.compile(rb'w:(?:ascii|hAnsi|cs)="([^"]+)"')
_THEME_FONT = re.compile(rb'<a:latin typeface="([^"]+)"')
_SYMBOL_FONTS = {"Symbol", "Wingdings", "Wingdings 2", "Wingdings 3", "Webdings"}


def _used_styles_xml(styles: bytes, used_ids: set[str]) -> bytes:
    """The parts of styles.xml that apply: document defaults, Normal, and the styles the text uses."""
    kept = re.findall(rb"<w:docDefaults>.*?</w:docDefaults>", styles, flags=re.S)
    for style in re.findall(rb"<w:style\b.*?</w:style>", styles, flags=re.S):
        style_id = re.search(rb'w:styleId="([^"]+)"', style)
        if style_id and (style_id.group(1).decode() in used_ids or b'w:default="1"' in style):
            kept.append(style)
    return b"".join(kept)


def template_fonts(docx: bytes) -> set[str]:
    """The font families a DOCX asks for: in its text, headers, footers, the styles they use, the theme."""
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        names = archive.namelist()
        parts = [
            archive.read(name)
            for name in names
            if re.fullmatch(r"word/(document|header\d*|footer\d*|footnotes)\.xml", name)
        ]
        used_ids = {
            m.decode()
            for part in parts
            for m in re.findall(rb'w:(?:pStyle|rStyle|tblStyle) w:val="([^"]+)"', part)
        }
        if "word/styles.xml" in names:
            parts.append(_used_styles_xml(archive.read("word/styles.xml"), used_ids))
        fonts = {match.decode() for part in parts for match in _RFONTS.findall(part)}
        theme_refs = {
            m.decode() for part in parts for m in re.findall(rb'w:(?:ascii|hAnsi)Theme="(minor|major)', part)
        }
        for name in names:
            if name.startswith("word/theme/") and name.endswith(".xml"):
                theme = archive.read(name)
                for kind in theme_refs:
                    block = re.search(rb"<a:" + kind.encode() + rb"Font>(.*?)</a:", theme, flags=re.S)
                    latin = _THEME_FONT.search(block.group(1)) if block else None
                    if latin:
                        fonts.add(latin.group(1).decode())
    return {font for font in fonts if font and font not in _SYMBOL_FONTS}


@functools.cache
def _fc(*args: str) -> str:
    if shutil.which(args[0]) is None:
        return ""
    completed = subprocess.run(list(args), capture_output=True, text=True, timeout=30, check=False)
    return completed.stdout


def _families(listing: str) -> set[str]:
    return {family.strip() for line in listing.splitlines() for family in line.split(",") if family.strip()}


def font_warnings(docx: bytes) -> list[Problem]:
    """Warnings about the template's fonts on this machine (empty when fontconfig is missing)."""
    kazakh = _families(_fc("fc-list", f":charset={KAZAKH_CHARSET}", "family"))
    if not kazakh:
        return []
    installed = _families(_fc("fc-list", ":", "family"))
    warnings: list[Problem] = []
    for font in sorted(template_fonts(docx)):
        used = _fc("fc-match", font, "family").strip()
        if font not in installed and METRIC_COMPATIBLE.get(font) != used:
            warnings.append(
                Problem(
                    "font_substituted",
                    gettext(
                        "The font %(font)s is not installed; %(used)s is used instead and the layout may shift."
                    )
                    % {"font": font, "used": used or "?"},
                    font,
                )
            )
        if used and used not in kazakh:
            warnings.append(
                Problem(
                    "font_without_kazakh",
                    gettext("The font %(font)s (rendered as %(used)s) has no Kazakh letters.")
                    % {"font": font, "used": used},
                    font,
                )
            )
    return warnings
