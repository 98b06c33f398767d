"""Render parcel labels and handover acts to PDF with reportlab.

Barcodes are Code 128 drawn as vector bars. Text uses Source Sans Pro from the ``font-source-sans-pro``
wheel: the PDF core fonts (Helvetica & co.) have no Cyrillic, and a fresh machine may have no system
fonts at all, so the font must come with a Python package.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from importlib import resources
from io import BytesIO
from typing import Any, Final, Protocol, TypeVar

from reportlab.graphics.barcode.code128 import Code128  # type: ignore[import-untyped, unused-ignore]
from reportlab.lib import colors  # type: ignore[import-untyped, unused-ignore]
from reportlab.lib.enums import TA_CENTER  # type: ignore[import-untyped, unused-ignore]
from reportlab.lib.pagesizes import A4  # type: ignore[import-untyped, unused-ignore]
from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped, unused-ignore]
from reportlab.lib.units import mm  # type: ignore[import-untyped, unused-ignore]
from reportlab.pdfbase import pdfmetrics  # type: ignore[import-untyped, unused-ignore]
from reportlab.pdfbase.ttfonts import TTFont  # type: ignore[import-untyped, unused-ignore]
from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped, unused-ignore]
from reportlab.platypus import (  # type: ignore[import-untyped, unused-ignore]
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from marketbox.labels.documents import HandoverAct, ParcelLabel

__all__ = ["LABEL_SIZES_MM", "render_handover_act", "render_parcel_labels"]

LABEL_SIZES_MM: dict[str, tuple[float, float]] = {"S": (58, 40), "M": (75, 120), "L": (100, 150)}
"""Label page sizes as (width, height) in millimetres."""

FONT_REGULAR: Final = "MarketboxSans"
FONT_BOLD: Final = "MarketboxSans-Bold"
_FONT_PACKAGE: Final = "font_source_sans_pro"
_FONT_FILES: Final = {FONT_REGULAR: "SourceSansPro-Regular.ttf", FONT_BOLD: "SourceSansPro-Bold.ttf"}

# Module widths are whole dots of a 203 dpi thermal printer, the usual label printer, so a label printed
# at 100 % has bars of equal width instead of ones rounded differently dot by dot; one-dot modules do
# not survive that printer's smear, hence at least two.
_PRINTER_DOT: Final = 25.4 / 203 * mm
_MIN_MODULE_DOTS: Final = 2
_QUIET_MODULES: Final = 10  # ISO/IEC 15417 minimum quiet zone on each side of a Code 128 symbol
_ELLIPSIS: Final = "…"
_LEADING: Final = 1.18  # baseline-to-baseline distance per point of font size

_font_lock = threading.Lock()
_fonts_registered = False
# reportlab keeps per-document subset state inside the shared TTFont objects: documents rendered in
# parallel threads could come out different (seen: 1 run in 40). Rendering is CPU-bound under the
# GIL anyway, so one document at a time costs nothing.
_render_lock = threading.Lock()


def _ensure_fonts() -> None:
    global _fonts_registered
    if _fonts_registered:
        return
    with _font_lock:
        if _fonts_registered:
            return
        try:
            font_dir = resources.files(_FONT_PACKAGE).joinpath("files")
        except ModuleNotFoundError as exc:
            raise RuntimeError(
                "marketbox.labels needs the 'font-source-sans-pro' package for Cyrillic text in PDFs"
            ) from exc
        for name, filename in _FONT_FILES.items():
            # TTFont reads the whole file while constructed, so a temporary copy (zipped install) may go.
            with resources.as_file(font_dir.joinpath(filename)) as path:
                pdfmetrics.registerFont(TTFont(name, str(path)))
        pdfmetrics.registerFontFamily(
            FONT_REGULAR, normal=FONT_REGULAR, bold=FONT_BOLD, italic=FONT_REGULAR, boldItalic=FONT_BOLD
        )
        _fonts_registered = True


# ---------------------------------------------------------------------------------------------- text


def _width(text: str, font: str, size: float) -> float:
    return float(pdfmetrics.stringWidth(text, font, size))


def _truncate(text: str, font: str, size: float, max_width: float) -> str:
    if _width(text, font, size) <= max_width:
        return text
    while text and _width(text + _ELLIPSIS, font, size) > max_width:
        text = text[:-1]
    return text.rstrip() + _ELLIPSIS


def _wrap(text: str, font: str, size: float, max_width: float) -> list[str]:
    """Greedy word wrap that also breaks words wider than a line (reportlab's simpleSplit does not)."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if _width(candidate, font, size) <= max_width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = ""
        for char in word:
            if current and _width(current + char, font, size) > max_width:
                lines.append(current)
                current = ""
            current += char
    if current:
        lines.append(current)
    return lines


def _fit_paragraph(
    text: str, font: str, max_size: float, min_size: float, max_width: float, max_height: float
) -> tuple[list[str], float]:
    """Largest font size at which ``text`` wraps into the box; at ``min_size`` the overflow is cut."""
    size = max_size
    while True:
        lines = _wrap(text, font, size, max_width)
        if len(lines) * size * _LEADING <= max_height or size <= min_size:
            break
        size = max(min_size, size - 0.5)
    max_lines = max(1, int(max_height // (size * _LEADING)))
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = _truncate(lines[-1] + _ELLIPSIS, font, size, max_width)
    return lines, size


def _fit_size(text: str, font: str, size: float, min_size: float, max_width: float) -> float:
    width = _width(text, font, size)
    if width <= max_width:
        return size
    return max(min_size, size * max_width / width)


def _draw_line(
    c: Any,
    text: str,
    font: str,
    size: float,
    x: float,
    y: float,
    max_width: float,
    *,
    centre: bool = False,
    min_size: float = 5.0,
) -> float:
    """Draw one line with its baseline at ``y``, shrinking then truncating to fit; return the size used."""
    size = _fit_size(text, font, size, min_size, max_width)
    text = _truncate(text, font, size, max_width)
    c.setFont(font, size)
    if centre:
        c.drawCentredString(x + max_width / 2, y, text)
    else:
        c.drawString(x, y, text)
    return size


def _ascent(font: str, size: float) -> float:
    return float(pdfmetrics.getAscent(font, size))


def _format_datetime(value: datetime | None) -> str:
    if value is None:
        return "—"
    text = f"{value:%d.%m.%Y %H:%M}"
    offset = value.strftime("%z")
    if offset:
        text += f" (UTC{offset[:3]}:{offset[3:5]})"
    return text


def _format_weight(weight_kg: float) -> str:
    return f"{weight_kg:.3f}".replace(".", ",")


# ------------------------------------------------------------------------------------------- barcode


def _code128(value: str, max_width: float, max_module: float, height: float) -> Any:
    """A Code 128 symbol of ``value`` no wider than ``max_width`` including its quiet zones."""
    if not value or not value.isascii() or not value.isprintable():
        raise ValueError(f"barcode content must be non-empty printable ASCII, got {value!r}")
    modules = float(Code128(value, barWidth=1, quiet=0).width)
    fit = min(max_module, max_width / (modules + 2 * _QUIET_MODULES))
    dots = math.floor(fit / _PRINTER_DOT + 1e-9)
    if dots < _MIN_MODULE_DOTS:
        raise ValueError(
            f"barcode {value!r} is too long to print scannably in {max_width / mm:.0f} mm "
            f"({modules:.0f} modules)"
        )
    module = dots * _PRINTER_DOT
    return Code128(value, barWidth=module, barHeight=height, quiet=0)


def _draw_barcode_centred(c: Any, barcode: Any, page_width: float, y: float) -> None:
    barcode.drawOn(c, (page_width - float(barcode.width)) / 2, y)


# -------------------------------------------------------------------------------------------- labels


@dataclass(frozen=True)
class _LabelStyle:
    margin: float
    font: float
    barcode_height: float
    max_module: float


_STYLES: Final = {
    "S": _LabelStyle(margin=1.5 * mm, font=6.5, barcode_height=0.0, max_module=0.4 * mm),
    "M": _LabelStyle(margin=3 * mm, font=8.5, barcode_height=22 * mm, max_module=0.42 * mm),
    "L": _LabelStyle(margin=4 * mm, font=10.0, barcode_height=28 * mm, max_module=0.5 * mm),
}


def render_parcel_labels(labels: Sequence[ParcelLabel], size: str = "L") -> bytes:
    """One PDF page per label, sized by ``LABEL_SIZES_MM[size]``.

    Raises ValueError for an empty ``labels``, an unknown ``size``, or barcode content that is not
    printable ASCII or is too long to stay scannable on that label size.
    """

    def draw(c: Any, label: ParcelLabel, page: tuple[float, float], style: _LabelStyle) -> None:
        if size == "S":
            _draw_small_label(c, label, page, style)
        else:
            _draw_full_label(c, label, page, style)

    return render_label_pages(labels, size, "Parcel labels", draw)


class _Labelled(Protocol):
    @property
    def seller_name(self) -> str: ...


LabelT = TypeVar("LabelT", bound=_Labelled)


def render_label_pages(
    labels: Sequence[LabelT],
    size: str,
    title: str,
    draw: Callable[[Any, LabelT, tuple[float, float], _LabelStyle], None],
) -> bytes:
    """A PDF of one page per label of `size`; `draw` fills a page. Checks and metadata are shared."""
    if not labels:
        raise ValueError("no labels to render")
    if size not in LABEL_SIZES_MM:
        raise ValueError(f"unknown label size {size!r}, expected one of {sorted(LABEL_SIZES_MM)}")
    _ensure_fonts()
    with _render_lock:
        return _label_pages(labels, size, title, draw)


def _label_pages(
    labels: Sequence[LabelT],
    size: str,
    title: str,
    draw: Callable[[Any, LabelT, tuple[float, float], _LabelStyle], None],
) -> bytes:
    width_mm, height_mm = LABEL_SIZES_MM[size]
    page = (width_mm * mm, height_mm * mm)
    style = _STYLES[size]
    buffer = BytesIO()
    c = Canvas(buffer, pagesize=page, invariant=1, pageCompression=1, initialFontName=FONT_REGULAR)
    c.setTitle(f"{title} ({len(labels)})")
    c.setAuthor(labels[0].seller_name)
    c.setCreator("marketbox")
    for label in labels:
        draw(c, label, page, style)
        c.showPage()
    c.save()
    return buffer.getvalue()


def _draw_small_label(c: Any, label: ParcelLabel, page: tuple[float, float], style: _LabelStyle) -> None:
    width, height = page
    x, inner = style.margin, width - 2 * style.margin
    top = height - style.margin
    ids = f"Лог. заказ {label.logistic_order_id} · Заказ {label.trade_order_id}"
    ids_size = _fit_size(ids, FONT_REGULAR, style.font, 4.5, inner)
    _draw_line(c, ids, FONT_REGULAR, ids_size, x, top - _ascent(FONT_REGULAR, ids_size), inner)

    code_size = 9.0
    code_baseline = style.margin + 0.5 * mm
    _draw_line(c, label.tracking_code, FONT_BOLD, code_size, x, code_baseline, inner, centre=True)

    bars_bottom = code_baseline + _ascent(FONT_BOLD, code_size) + 1 * mm
    bars_top = top - ids_size * _LEADING - 0.5 * mm
    barcode = _code128(label.barcode_value, width - 2 * mm, style.max_module, bars_top - bars_bottom)
    _draw_barcode_centred(c, barcode, width, bars_bottom)


def _draw_full_label(c: Any, label: ParcelLabel, page: tuple[float, float], style: _LabelStyle) -> None:
    width, height = page
    x, inner = style.margin, width - 2 * style.margin
    f = style.font
    c.setLineWidth(0.8)
    top = height - style.margin  # the top edge of whatever is drawn next

    def text(line: str, font: str, size: float, *, centre: bool = False, within: float = inner) -> None:
        nonlocal top
        _draw_line(c, line, font, size, x, top - _ascent(font, size), within, centre=centre)
        top -= size * _LEADING

    def rule(gap: float = 1.2 * mm) -> None:
        nonlocal top
        top -= gap
        c.line(x, top, x + inner, top)
        top -= gap

    text(f"Отправитель: {label.seller_name}", FONT_BOLD, f)
    rule()
    text(f"Логистический заказ: {label.logistic_order_id}", FONT_REGULAR, f)
    text(f"Заказ покупателя: {label.trade_order_id}", FONT_REGULAR, f)

    top -= 1.5 * mm + style.barcode_height
    barcode = _code128(label.barcode_value, width - 2 * mm, style.max_module, style.barcode_height)
    _draw_barcode_centred(c, barcode, width, top)
    top -= 1 * mm
    if label.barcode_value != label.tracking_code:
        text(label.barcode_value, FONT_REGULAR, f * 0.8, centre=True)
    text(label.tracking_code, FONT_BOLD, f * 1.7, centre=True)
    rule()

    text("ПОЛУЧАТЕЛЬ", FONT_REGULAR, f * 0.8)
    name_lines, name_size = _fit_paragraph(
        label.receiver_name, FONT_BOLD, f * 1.3, f, inner, 2 * f * 1.3 * _LEADING
    )
    for line in name_lines:
        text(line, FONT_BOLD, name_size)
    text(f"Индекс: {label.receiver_zip}", FONT_BOLD, f * 1.5)

    footer_top = _label_footer_lines(style)[2]
    address_lines, address_size = _fit_paragraph(
        label.receiver_address, FONT_REGULAR, f * 1.1, 5.5, inner, top - footer_top - 1 * mm
    )
    for line in address_lines:
        text(line, FONT_REGULAR, address_size)
    _draw_label_footer(c, label, x, inner, style)


def _label_footer_lines(style: _LabelStyle) -> tuple[float, float, float]:
    """Baselines of the cut-off and the items/weight lines, and the rule above them, from the bottom."""
    f = style.font
    cut_off = style.margin + 0.3 * f
    items = cut_off + 1.2 * f * _LEADING
    return cut_off, items, items + _ascent(FONT_BOLD, 1.2 * f) + 1.2 * mm


def _draw_label_footer(c: Any, label: ParcelLabel, x: float, inner: float, style: _LabelStyle) -> None:
    f = style.font
    cut_off, items, rule = _label_footer_lines(style)
    c.line(x, rule, x + inner, rule)
    half = inner / 2
    _draw_line(c, f"Товаров: {label.items_count}", FONT_BOLD, f * 1.2, x, items, half)
    _draw_line(c, f"Вес: {_format_weight(label.weight_kg)} кг", FONT_BOLD, f * 1.2, x + half, items, half)
    _draw_line(c, f"Отгрузить до: {_format_datetime(label.cut_off_date)}", FONT_REGULAR, f, x, cut_off, inner)


# ---------------------------------------------------------------------------------------------- act


class _NumberedCanvas(Canvas):  # type: ignore[misc]
    """Holds pages back until the end so each footer can say "page N of M"."""

    def __init__(self, *args: Any, footer: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._footer = footer
        self._saved_pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._saved_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._saved_pages)
        for number, state in enumerate(self._saved_pages, start=1):
            self.__dict__.update(state)
            self.setFont(FONT_REGULAR, 8)
            width = float(self._pagesize[0])
            footer = _truncate(self._footer, FONT_REGULAR, 8, width - 2 * 15 * mm - 30 * mm)
            self.drawString(15 * mm, 10 * mm, footer)
            self.drawRightString(width - 15 * mm, 10 * mm, f"Стр. {number} из {total}")
            super().showPage()
        super().save()


def _paragraph_style(name: str, font: str, size: float, **extra: Any) -> Any:
    return ParagraphStyle(name, fontName=font, fontSize=size, leading=size * _LEADING, **extra)


def render_handover_act(act: HandoverAct) -> bytes:
    """An A4 handover act: header with a Code 128 of the list id, then every line, totals, signatures."""
    _ensure_fonts()
    with _render_lock:
        return _handover_act(act)


def _handover_act(act: HandoverAct) -> bytes:
    title = f"Лист передачи № {act.handover_list_id}"
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=18 * mm,
        title=title,
        author=act.seller_name,
        creator="marketbox",
        invariant=1,
        initialFontName=FONT_REGULAR,
    )
    title_style = _paragraph_style("act-title", FONT_BOLD, 16, spaceAfter=3 * mm)
    body = _paragraph_style("act-body", FONT_REGULAR, 10)
    centred = _paragraph_style("act-centred", FONT_REGULAR, 10, alignment=TA_CENTER)

    barcode_width = 65 * mm
    barcode = _code128(str(act.handover_list_id), barcode_width, 0.45 * mm, 15 * mm)
    meta = [
        Paragraph(_escape(title), title_style),
        Paragraph(f"<b>Отправитель:</b> {_escape(act.seller_name)}", body),
        Paragraph(f"<b>Создан:</b> {_format_datetime(act.created_at)}", body),
        Paragraph(f"<b>Дата прибытия:</b> {_format_datetime(act.arrival_date)}", body),
        Paragraph(f"<b>Статус:</b> {_escape(act.status)}", body),
        Paragraph(f"<b>Отправлений:</b> {len(act.lines)}", body),
    ]
    header = Table(
        [[meta, [barcode, Spacer(1, 1 * mm), Paragraph(str(act.handover_list_id), centred)]]],
        colWidths=[doc.width - barcode_width, barcode_width],
    )
    header.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT_REGULAR),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (1, 0), (1, 0), "CENTER"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )

    story: list[Any] = [header, Spacer(1, 6 * mm), _lines_table(act), Spacer(1, 12 * mm)]
    signatures = Table(
        [
            ["Сдал (продавец):", "", "Принял (перевозчик):", ""],
            ["", "подпись / ФИО", "", "подпись / ФИО"],
        ],
        colWidths=[32 * mm, 58 * mm, 36 * mm, 54 * mm],
    )
    signatures.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT_REGULAR),
                ("FONTSIZE", (0, 0), (-1, 0), 10),
                ("FONTSIZE", (0, 1), (-1, 1), 7),
                ("ALIGN", (0, 1), (-1, 1), "CENTER"),
                ("LINEBELOW", (1, 0), (1, 0), 0.6, colors.black),
                ("LINEBELOW", (3, 0), (3, 0), 0.6, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ]
        )
    )
    story.append(KeepTogether([signatures]))
    doc.build(story, canvasmaker=partial(_NumberedCanvas, footer=f"{title} · {act.seller_name}"))
    return buffer.getvalue()


def _lines_table(act: HandoverAct) -> Any:
    rows: list[list[str]] = [["№", "Трек-номер", "Логистический заказ", "Заказ", "Товаров", "Вес, кг"]]
    for number, line in enumerate(act.lines, start=1):
        rows.append(
            [
                str(number),
                line.tracking_code,
                str(line.logistic_order_id),
                str(line.trade_order_id),
                str(line.items_count),
                _format_weight(line.weight_kg),
            ]
        )
    rows.append(
        [
            "",
            f"Итого отправлений: {len(act.lines)}",
            "",
            "",
            str(act.total_items),
            _format_weight(act.total_weight_kg),
        ]
    )
    table = Table(
        rows,
        colWidths=[12 * mm, 58 * mm, 38 * mm, 38 * mm, 14 * mm, 20 * mm],
        repeatRows=1,
    )
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT_REGULAR),
                ("FONTSIZE", (0, 0), (-1, -1), 9),
                ("FONTNAME", (0, 0), (-1, 0), FONT_BOLD),
                ("FONTNAME", (0, -1), (-1, -1), FONT_BOLD),
                ("SPAN", (1, -1), (3, -1)),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E6E6E6")),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.black),
                ("ALIGN", (0, 0), (0, -1), "RIGHT"),
                ("ALIGN", (4, 0), (-1, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
