"""PDF labels for Lamoda's FBS flow: one per order item, one per pack (box), one per pallet.

Each page carries a Code 128 barcode of the label's value with that value printed under it; the
M and L sizes add every other field, S only one short line. Fonts, barcode sizing and the text
fitting helpers are the ones of :mod:`marketbox.labels.render`, so these labels print alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

from reportlab.lib.units import mm  # type: ignore[import-untyped, unused-ignore]

from marketbox.labels.render import (
    _LEADING,
    FONT_BOLD,
    FONT_REGULAR,
    LABEL_SIZES_MM,
    _ascent,
    _code128,
    _draw_barcode_centred,
    _draw_line,
    _fit_paragraph,
    _fit_size,
    _LabelStyle,
    render_label_pages,
)

__all__ = [
    "LABEL_SIZES_MM",
    "LamodaItemLabel",
    "LamodaLabel",
    "LamodaPackLabel",
    "LamodaPalletLabel",
    "render_lamoda_labels",
]


@dataclass(frozen=True)
class LamodaItemLabel:
    """One label per order item (Lamoda's "unitload"); the barcode encodes ``str(item_id)``."""

    item_id: int
    order_nr: str
    sku: str
    name: str
    size: str
    seller_name: str


@dataclass(frozen=True)
class LamodaPackLabel:
    """One label per pack (box) of an order; the barcode encodes ``pack_number``."""

    pack_number: str
    order_nr: str
    pack_index: int
    pack_count: int
    seller_name: str
    shipping_method: str
    city: str


@dataclass(frozen=True)
class LamodaPalletLabel:
    """One label per pallet of a shipment; the barcode encodes ``barcode``."""

    barcode: str
    seller_name: str
    shipment_id: str | None
    pack_count: int


LamodaLabel = LamodaItemLabel | LamodaPackLabel | LamodaPalletLabel

_DASH: Final = "—"


def render_lamoda_labels(labels: Sequence[LamodaLabel], size: str) -> bytes:
    """One PDF page per label, sized by ``LABEL_SIZES_MM[size]`` (width x height in millimetres).

    Raises ValueError for an empty ``labels``, an unknown ``size``, or a barcode value that is not
    printable ASCII or is too long to stay scannable on that label size.
    """

    def draw(c: Any, label: LamodaLabel, page: tuple[float, float], style: _LabelStyle) -> None:
        if size == "S":
            _draw_small(c, _small_line(label), _barcode_value(label), page, style)
            return
        column = _Column(c, page, style)
        if isinstance(label, LamodaItemLabel):
            _draw_item(column, label)
        elif isinstance(label, LamodaPackLabel):
            _draw_pack(column, label)
        else:
            _draw_pallet(column, label)

    return render_label_pages(labels, size, "Lamoda labels", draw)


def _barcode_value(label: LamodaLabel) -> str:
    if isinstance(label, LamodaItemLabel):
        return str(label.item_id)
    if isinstance(label, LamodaPackLabel):
        return label.pack_number
    return label.barcode


def _small_line(label: LamodaLabel) -> str:
    """The one line of text above the barcode on an S label."""
    if isinstance(label, LamodaItemLabel):
        return f"Заказ {label.order_nr}" + (f" · Размер {label.size}" if label.size else "")
    if isinstance(label, LamodaPackLabel):
        return f"Заказ {label.order_nr} · Место {label.pack_index}/{label.pack_count}"
    return f"Паллета · Коробов: {label.pack_count}"


# ---------------------------------------------------------------------------------------------- small


def _draw_small(c: Any, line: str, value: str, page: tuple[float, float], style: _LabelStyle) -> None:
    width, height = page
    x, inner = style.margin, width - 2 * style.margin
    top = height - style.margin
    line_size = _fit_size(line, FONT_REGULAR, style.font, 4.5, inner)
    _draw_line(c, line, FONT_REGULAR, line_size, x, top - _ascent(FONT_REGULAR, line_size), inner)

    value_size = 9.0
    value_baseline = style.margin + 0.5 * mm
    _draw_line(c, value, FONT_BOLD, value_size, x, value_baseline, inner, centre=True)

    bars_bottom = value_baseline + _ascent(FONT_BOLD, value_size) + 1 * mm
    bars_top = top - line_size * _LEADING - 0.5 * mm
    barcode = _code128(value, width - 2 * mm, style.max_module, bars_top - bars_bottom)
    _draw_barcode_centred(c, barcode, width, bars_bottom)


# ----------------------------------------------------------------------------------------------- full


class _Column:
    """Draws an M or L label top down; ``top`` is the upper edge of whatever is drawn next.

    A footer is drawn bottom up first, so ``bottom`` tells how far down the free text may go.
    """

    def __init__(self, c: Any, page: tuple[float, float], style: _LabelStyle) -> None:
        self.c = c
        self.width, height = page
        self.style = style
        self.f = style.font
        self.x = style.margin
        self.inner = self.width - 2 * style.margin
        self.top = height - style.margin
        self.bottom = style.margin
        c.setLineWidth(0.8)

    def text(self, line: str, font: str, size: float, *, centre: bool = False) -> None:
        _draw_line(
            self.c, line, font, size, self.x, self.top - _ascent(font, size), self.inner, centre=centre
        )
        self.top -= size * _LEADING

    def rule(self, gap: float = 1.2 * mm) -> None:
        self.top -= gap
        self.c.line(self.x, self.top, self.x + self.inner, self.top)
        self.top -= gap

    def barcode(self, value: str) -> None:
        height = self.style.barcode_height
        self.top -= 1.5 * mm + height
        symbol = _code128(value, self.width - 2 * mm, self.style.max_module, height)
        _draw_barcode_centred(self.c, symbol, self.width, self.top)
        self.top -= 1 * mm
        self.text(value, FONT_BOLD, self.f * 1.7, centre=True)

    def paragraph(self, text: str, font: str, size: float, max_lines: int) -> None:
        """Wrapped text, shrunk then cut to at most ``max_lines`` lines of ``size`` and the free space."""
        room = min(max_lines * size * _LEADING, self.top - self.bottom - 1 * mm)
        if room < self.f * _LEADING:
            return
        lines, used = _fit_paragraph(text, font, size, min(size, self.f * 0.85), self.inner, room)
        for line in lines:
            self.text(line, font, used)

    def footer(self, line: str, font: str, size: float) -> None:
        """One line at the bottom of the label with a rule above it."""
        baseline = self.style.margin + 0.3 * self.f
        _draw_line(self.c, line, font, size, self.x, baseline, self.inner)
        self.bottom = baseline + _ascent(font, size) + 1.2 * mm
        self.c.line(self.x, self.bottom, self.x + self.inner, self.bottom)


def _draw_item(col: _Column, label: LamodaItemLabel) -> None:
    f = col.f
    col.text(f"Продавец: {label.seller_name}", FONT_BOLD, f)
    col.rule()
    col.text(f"Заказ: {label.order_nr}", FONT_BOLD, f * 1.3)
    col.text(f"Артикул: {label.sku}", FONT_REGULAR, f * 1.1)
    col.barcode(str(label.item_id))
    col.rule()
    col.footer(f"Размер: {label.size or _DASH}", FONT_BOLD, f * 1.5)
    col.text("ТОВАР", FONT_REGULAR, f * 0.8)
    col.paragraph(label.name, FONT_BOLD, f * 1.2, max_lines=5)


def _draw_pack(col: _Column, label: LamodaPackLabel) -> None:
    f = col.f
    col.text(f"Продавец: {label.seller_name}", FONT_BOLD, f)
    col.rule()
    col.text(f"Заказ: {label.order_nr}", FONT_BOLD, f * 1.3)
    col.text(f"Место {label.pack_index} из {label.pack_count}", FONT_BOLD, f * 1.6)
    col.barcode(label.pack_number)
    col.rule()
    col.footer(f"Город: {label.city}", FONT_BOLD, f * 1.5)
    col.text("СПОСОБ ДОСТАВКИ", FONT_REGULAR, f * 0.8)
    col.paragraph(label.shipping_method, FONT_REGULAR, f * 1.1, max_lines=3)


def _draw_pallet(col: _Column, label: LamodaPalletLabel) -> None:
    f = col.f
    col.text(f"Продавец: {label.seller_name}", FONT_BOLD, f)
    col.rule()
    col.text("ПАЛЛЕТА", FONT_BOLD, f * 2.2, centre=True)
    col.text(f"Отгрузка: {label.shipment_id or _DASH}", FONT_REGULAR, f * 1.2)
    col.barcode(label.barcode)
    col.rule()
    col.text(f"Коробов: {label.pack_count}", FONT_BOLD, f * 1.6)
