"""Server-rendered SVG charts: horizontal bars, columns (distributions) and lines over terms.

Small on purpose: the monitoring needs three shapes, readable in Kazakh, Russian and English (text
is real SVG text in the page's fonts, so every script renders and prints), accessible (role="img",
a <title> and the figures as <title> of each mark), captioned (each chart starts with the
<figcaption> of the <figure> the page puts it in, so the title shows and prints) and printable (no script, no colours that vanish
in black and white: every mark carries its figure as text). Every value is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from django.utils.safestring import SafeString, mark_safe

PALETTE = ("#2e5e8c", "#c0622f", "#3f8f5a", "#8c4f9f", "#a08a1d", "#4a4a4a")
FONT = "font-family=\"'Noto Sans', 'DejaVu Sans', Arial, sans-serif\" font-size=\"12\""


def _number(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _svg(width: int, height: int, title: str, body: list[str]) -> SafeString:
    return mark_safe(  # noqa: S308 - every text inside went through escape()
        f"<figcaption>{escape(title)}</figcaption>"
        f'<svg xmlns="http://www.w3.org/2000/svg" class="monitoring-chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" style="max-width:{width}px" {FONT}>'
        f"<title>{escape(title)}</title>{''.join(body)}</svg>"
    )


def bar_chart(title: str, bars: Sequence[tuple[str, float]], *, width: int = 640) -> SafeString:
    """Horizontal bars, one per (label, value), the value written at the end of each bar."""
    if not bars:
        return SafeString("")
    label_width, row, top = 220, 24, 8
    height = top + row * len(bars) + 8
    peak = max((v for _l, v in bars), default=0) or 1
    room = width - label_width - 60
    body = []
    for index, (label, value) in enumerate(bars):
        y = top + index * row
        length = max(1.0, room * value / peak) if value else 0
        short = label if len(label) <= 34 else label[:33] + "…"
        body.append(
            f'<text x="{label_width - 6}" y="{y + 15}" text-anchor="end">'
            f"<title>{escape(label)}</title>{escape(short)}</text>"
            f'<rect x="{label_width}" y="{y + 3}" width="{length:.1f}" height="{row - 8}" fill="{PALETTE[0]}">'
            f"<title>{escape(label)}: {escape(_number(value))}</title></rect>"
            f'<text x="{label_width + length + 4:.1f}" y="{y + 15}">{escape(_number(value))}</text>'
        )
    return _svg(width, height, title, body)


def column_chart(title: str, columns: Sequence[tuple[str, float]], *, width: int = 640) -> SafeString:
    """Vertical columns (a distribution), labels under them and values above."""
    if not columns:
        return SafeString("")
    height, bottom, top = 220, 30, 20
    peak = max((v for _l, v in columns), default=0) or 1
    slot = (width - 20) / len(columns)
    body = [f'<line x1="10" y1="{height - bottom}" x2="{width - 10}" y2="{height - bottom}" stroke="#888"/>']
    for index, (label, value) in enumerate(columns):
        x = 10 + index * slot
        bar = (height - bottom - top) * value / peak
        y = height - bottom - bar
        body.append(
            f'<rect x="{x + slot * 0.15:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" height="{bar:.1f}" '
            f'fill="{PALETTE[0]}"><title>{escape(label)}: {escape(_number(value))}</title></rect>'
            f'<text x="{x + slot / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle">{escape(_number(value))}</text>'
            f'<text x="{x + slot / 2:.1f}" y="{height - 10}" text-anchor="middle">{escape(label)}</text>'
        )
    return _svg(width, height, title, body)


def line_chart(
    title: str, x_labels: Sequence[str], series: Sequence[tuple[str, Sequence[float]]], *, width: int = 720
) -> SafeString:
    """Lines over terms, one per series, with a legend; each point carries its figure as a title."""
    if not series or not x_labels:
        return SafeString("")
    left, right, top, plot_height = 50, 50, 16, 200
    legend_top = top + plot_height + 44
    height = legend_top + 20 * ((len(series) + 1) // 2) + 6
    peak = max((max(values, default=0) for _l, values in series), default=0) or 1
    step = (width - left - right) / max(1, len(x_labels) - 1)
    base = top + plot_height
    body = [f'<line x1="{left}" y1="{base}" x2="{width - right}" y2="{base}" stroke="#888"/>']
    for fraction in (0.5, 1.0):
        y = base - plot_height * fraction
        body.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#ddd"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{escape(_number(round(peak * fraction)))}</text>'
        )
    for index, label in enumerate(x_labels):
        x = left + index * step
        body.append(
            f'<text x="{x:.1f}" y="{base + 16}" text-anchor="middle" font-size="10">'
            f"{escape(label.split(',')[0])}</text>"
            f'<text x="{x:.1f}" y="{base + 29}" text-anchor="middle" font-size="10">'
            f"{escape(label.split(',')[-1].strip())}</text>"
        )
    for number, (name, values) in enumerate(series):
        colour = PALETTE[number % len(PALETTE)]
        points = [(left + i * step, base - plot_height * v / peak) for i, v in enumerate(values)]
        dash = "" if number < len(PALETTE) else ' stroke-dasharray="4 3"'
        body.append(
            f'<polyline fill="none" stroke="{colour}" stroke-width="2"{dash} points="'
            + " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            + '"/>'
        )
        for (x, y), value, label in zip(points, values, x_labels, strict=False):
            body.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}">'
                f"<title>{escape(name)}, {escape(label)}: {escape(_number(value))}</title></circle>"
            )
        lx, ly = left + (number % 2) * (width - left) / 2, legend_top + 20 * (number // 2)
        short = name if len(name) <= 40 else name[:39] + "…"
        body.append(
            f'<rect x="{lx:.1f}" y="{ly - 9}" width="12" height="12" fill="{colour}"/>'
            f'<text x="{lx + 16:.1f}" y="{ly + 1}">{escape(short)} — {escape(_number(values[-1] if values else 0))}</text>'
        )
    return _svg(width, height, title, body)


def grouped_bar_chart(
    title: str, groups: Sequence[tuple[str, Sequence[float]]], series: Sequence[str], *, width: int = 640
) -> SafeString:
    """Horizontal bars in groups (e.g. assigned and done hours per department), one bar per series,
    a legend under them; each bar carries its figure as text and as a title. Dashed outlines tell
    the series apart in black and white."""
    if not groups:
        return SafeString("")
    label_width, bar, top = 220, 14, 8
    block = bar * len(series) + 10
    legend_top = top + block * len(groups) + 12
    height = legend_top + 20
    peak = max((max(values, default=0) for _l, values in groups), default=0) or 1
    room = width - label_width - 70
    body = []
    for index, (label, values) in enumerate(groups):
        y = top + index * block
        short = label if len(label) <= 34 else label[:33] + "…"
        body.append(
            f'<text x="{label_width - 6}" y="{y + bar + 2}" text-anchor="end">'
            f"<title>{escape(label)}</title>{escape(short)}</text>"
        )
        for number, value in enumerate(values):
            length = max(1.0, room * value / peak) if value else 0
            by = y + number * bar
            dash = ' stroke="#222" stroke-dasharray="3 2"' if number % 2 else ""
            name = series[number] if number < len(series) else ""
            body.append(
                f'<rect x="{label_width}" y="{by + 1}" width="{length:.1f}" height="{bar - 2}" '
                f'fill="{PALETTE[number % len(PALETTE)]}"{dash}>'
                f"<title>{escape(label)}, {escape(name)}: {escape(_number(value))}</title></rect>"
                f'<text x="{label_width + length + 4:.1f}" y="{by + bar - 3}" font-size="10">'
                f"{escape(_number(value))}</text>"
            )
    for number, name in enumerate(series):
        lx = label_width + number * 180
        body.append(
            f'<rect x="{lx}" y="{legend_top - 10}" width="12" height="12" fill="{PALETTE[number % len(PALETTE)]}"/>'
            f'<text x="{lx + 16}" y="{legend_top}">{escape(name)}</text>'
        )
    return _svg(width, height, title, body)
