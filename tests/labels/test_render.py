"""The PDFs are checked the way a warehouse would use them: rasterised, barcodes scanned, text read."""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pypdfium2 as pdfium  # type: ignore[import-untyped, unused-ignore]
import pytest
import zxingcpp
from PIL import Image

from marketbox.labels import (
    LABEL_SIZES_MM,
    ActLine,
    HandoverAct,
    ParcelLabel,
    render_handover_act,
    render_parcel_labels,
)

SCAN_DPI = 300
PRINTER_DPI = 203  # the usual thermal label printer
MSK = timezone(timedelta(hours=3))

LABEL = ParcelLabel(
    logistic_order_id=5012345678,
    trade_order_id=8123456789012,
    tracking_code="80000012345674",
    receiver_name="Сократ Гурьевич Абрамов",
    receiver_address=(
        "Российская Федерация, Московская область, г. Красногорск, микрорайон Павшинская пойма, "
        "бульвар Космонавтов, дом 11, корпус 2, квартира 287"
    ),
    receiver_zip="143402",
    items_count=3,
    weight_kg=1.25,
    cut_off_date=datetime(2025, 3, 14, 18, 0, tzinfo=MSK),
    seller_name="ООО «Ромашка»",
)

OTHER_LABELS = (
    dataclasses.replace(
        LABEL,
        logistic_order_id=5012345679,
        trade_order_id=8123456789013,
        tracking_code="80000012345681",
        receiver_name="Евдокия Филимоновна Щукина",
        cut_off_date=None,
    ),
    dataclasses.replace(
        LABEL,
        logistic_order_id=5012345680,
        trade_order_id=8123456789014,
        tracking_code="RU123456789CN",
        receiver_name="Ёжиков Эдуард Юрьевич",
    ),
)


def _act(line_count: int) -> HandoverAct:
    lines = tuple(
        ActLine(
            logistic_order_id=5_000_000_000 + i,
            trade_order_id=8_100_000_000_000 + i,
            tracking_code=f"80000{i:09d}",
            items_count=i % 4 + 1,
            weight_kg=0.5 + i * 0.01,
        )
        for i in range(line_count)
    )
    return HandoverAct(
        handover_list_id=987654321,
        seller_name="ИП Пётр Ильич Чайковский",
        created_at=datetime(2025, 3, 14, 10, 30, tzinfo=UTC),
        arrival_date=datetime(2025, 3, 15, 9, 0, tzinfo=UTC),
        status="ARRIVED",
        lines=lines,
    )


@dataclasses.dataclass(frozen=True)
class Page:
    text: str
    width_pt: float
    height_pt: float
    image: Image.Image | None


def _pages(pdf: bytes, *, raster: bool = True, dpi: int = SCAN_DPI) -> list[Page]:
    assert pdf.startswith(b"%PDF-")
    document = pdfium.PdfDocument(pdf)
    try:
        pages = []
        for page in document:
            text_page = page.get_textpage()
            text = text_page.get_text_range()
            width, height = page.get_size()
            image = page.render(scale=dpi / 72, grayscale=True).to_pil() if raster else None
            pages.append(Page(text=text, width_pt=width, height_pt=height, image=image))
            text_page.close()
            page.close()
        return pages
    finally:
        document.close()


def _scan(image: Image.Image | None) -> list[str]:
    assert image is not None, "page was not rasterised"
    return [
        barcode.text
        for barcode in zxingcpp.read_barcodes(image)
        if barcode.format == zxingcpp.BarcodeFormat.Code128
    ]


def _squash(text: str) -> str:
    """Page text with line breaks folded into spaces, for phrases that wrap."""
    return " ".join(text.split())


@pytest.mark.parametrize("size", ["S", "M", "L"])
def test_single_label_scans_and_reads(size: str) -> None:
    (page,) = _pages(render_parcel_labels([LABEL], size))

    width_mm, height_mm = LABEL_SIZES_MM[size]
    assert page.width_pt == pytest.approx(width_mm / 25.4 * 72, abs=0.01)
    assert page.height_pt == pytest.approx(height_mm / 25.4 * 72, abs=0.01)
    assert _scan(page.image) == ["80000012345674"]
    assert "80000012345674" in page.text
    assert "5012345678" in page.text
    assert "8123456789012" in page.text


@pytest.mark.parametrize("size", ["M", "L"])
def test_full_label_prints_receiver_and_shipment_details(size: str) -> None:
    (page,) = _pages(render_parcel_labels([LABEL], size), raster=False)
    text = _squash(page.text)

    assert "Сократ Гурьевич Абрамов" in text
    assert "Индекс: 143402" in text
    # The address is wrapped over several lines, but every word of it is printed.
    assert LABEL.receiver_address in text
    assert "Товаров: 3" in text
    assert "Вес: 1,250 кг" in text
    assert "Отгрузить до: 14.03.2025 18:00 (UTC+03:00)" in text
    assert "Отправитель: ООО «Ромашка»" in text


def test_small_label_prints_only_what_fits() -> None:
    (page,) = _pages(render_parcel_labels([LABEL], "S"), raster=False)

    assert "Сократ" not in page.text
    assert "143402" not in page.text


@pytest.mark.parametrize("size", ["S", "M", "L"])
def test_multi_label_document_has_one_scannable_page_per_label(size: str) -> None:
    labels = [LABEL, *OTHER_LABELS]
    pages = _pages(render_parcel_labels(labels, size))

    assert [_scan(page.image) for page in pages] == [[label.tracking_code] for label in labels]
    for page, label in zip(pages, labels, strict=True):
        assert str(label.logistic_order_id) in page.text
        assert str(label.trade_order_id) in page.text
        if size != "S":
            assert label.receiver_name in page.text


def test_missing_cut_off_date_is_printed_as_dash() -> None:
    (page,) = _pages(render_parcel_labels([OTHER_LABELS[0]], "L"), raster=False)

    assert "Отгрузить до: —" in page.text


@pytest.mark.parametrize("size", ["S", "M", "L"])
def test_barcode_text_overrides_what_the_barcode_encodes(size: str) -> None:
    label = dataclasses.replace(LABEL, barcode_text="LP00123456789012CN")
    (page,) = _pages(render_parcel_labels([label], size))

    assert _scan(page.image) == ["LP00123456789012CN"]
    assert "80000012345674" in page.text


@pytest.mark.parametrize("size", ["S", "M", "L"])
@pytest.mark.parametrize("content", ["80000012345674", "LP00123456789012CN"])
def test_barcode_survives_label_printer_resolution(size: str, content: str) -> None:
    pdf = render_parcel_labels([dataclasses.replace(LABEL, barcode_text=content)], size)
    document = pdfium.PdfDocument(pdf)
    try:
        image = document[0].render(scale=PRINTER_DPI / 72, grayscale=True).to_pil()
    finally:
        document.close()

    assert _scan(image) == [content]


def test_very_long_address_is_cut_to_fit_and_the_barcode_still_scans() -> None:
    label = dataclasses.replace(LABEL, receiver_address="улица Длинная, " * 200)
    pages = _pages(render_parcel_labels([label], "M"))

    assert len(pages) == 1
    assert _scan(pages[0].image) == ["80000012345674"]
    assert "…" in pages[0].text


def test_empty_label_list_is_rejected() -> None:
    with pytest.raises(ValueError, match="no labels"):
        render_parcel_labels([])


def test_unknown_size_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown label size 'XL'"):
        render_parcel_labels([LABEL], "XL")


def test_barcode_content_that_cannot_be_encoded_is_rejected() -> None:
    with pytest.raises(ValueError, match="printable ASCII"):
        render_parcel_labels([dataclasses.replace(LABEL, barcode_text="ТРЕК-1")], "L")
    with pytest.raises(ValueError, match="too long"):
        render_parcel_labels([dataclasses.replace(LABEL, barcode_text="X" * 60)], "S")


@pytest.mark.parametrize(
    "render",
    [lambda: render_parcel_labels([LABEL], "L"), lambda: render_handover_act(_act(3))],
    ids=["label", "act"],
)
def test_only_the_embedded_cyrillic_font_is_used(render: Callable[[], bytes]) -> None:
    pdf = render()

    base_fonts = set(re.findall(rb"/BaseFont /(?:[A-Z]{6}\+)?([\w-]+)", pdf))
    assert base_fonts == {b"SourceSansPro-Regular", b"SourceSansPro-Bold"}
    assert b"/FontFile2" in pdf  # embedded TrueType, not a reference to a font the reader may lack


def test_rendering_is_deterministic() -> None:
    assert render_parcel_labels([LABEL, *OTHER_LABELS], "M") == render_parcel_labels(
        [LABEL, *OTHER_LABELS], "M"
    )
    assert render_handover_act(_act(5)) == render_handover_act(_act(5))


@pytest.fixture(scope="module")
def long_act_pages() -> list[Page]:
    return _pages(render_handover_act(_act(120)))


def test_handover_act_is_a4_with_title_barcode_and_details(long_act_pages: list[Page]) -> None:
    first = long_act_pages[0]
    text = first.text

    assert first.width_pt == pytest.approx(595.28, abs=0.1)
    assert first.height_pt == pytest.approx(841.89, abs=0.1)
    assert "Лист передачи № 987654321" in text
    assert _scan(first.image) == ["987654321"]
    assert "Отправитель: ИП Пётр Ильич Чайковский" in text
    assert "Создан: 14.03.2025 10:30 (UTC+00:00)" in text
    assert "Дата прибытия: 15.03.2025 09:00 (UTC+00:00)" in text
    assert "Статус: ARRIVED" in text
    assert "Отправлений: 120" in text


def test_long_handover_act_spans_pages_and_lists_every_line(long_act_pages: list[Page]) -> None:
    total = len(long_act_pages)
    assert total > 1
    for number, page in enumerate(long_act_pages, start=1):
        assert f"Стр. {number} из {total}" in page.text
        assert "Трек-номер" in page.text  # the header row repeats on every page

    text = "\n".join(page.text for page in long_act_pages)
    act = _act(120)
    for line in act.lines:
        assert line.tracking_code in text
        assert str(line.logistic_order_id) in text
        assert str(line.trade_order_id) in text
    # Every tracking code is printed exactly once, so no row was duplicated across a page break.
    assert sum(text.count(line.tracking_code) for line in act.lines) == 120

    last = long_act_pages[-1].text
    assert "Итого отправлений: 120" in last
    assert str(sum(line.items_count for line in act.lines)) in last  # 300
    assert "131,400" in last  # 120 * 0.5 + 0.01 * (0 + … + 119)
    assert "Сдал (продавец):" in last


def test_empty_handover_act_still_renders() -> None:
    act = dataclasses.replace(_act(0), arrival_date=None)
    (page,) = _pages(render_handover_act(act))

    assert _scan(page.image) == ["987654321"]
    assert "Итого отправлений: 0" in page.text
    assert "Дата прибытия: —" in page.text


def test_concurrent_first_renders_agree() -> None:
    """The font is registered lazily; renders racing on a cold start must still all come out identical."""
    script = """
import sys
from concurrent.futures import ThreadPoolExecutor
sys.path.insert(0, sys.argv[1])
from labels.test_render import LABEL, _act
from marketbox.labels import render_handover_act, render_parcel_labels

jobs = [lambda: render_parcel_labels([LABEL], "L"), lambda: render_handover_act(_act(30))] * 4
with ThreadPoolExecutor(len(jobs)) as pool:
    results = [future.result() for future in [pool.submit(job) for job in jobs]]
assert results == [render_parcel_labels([LABEL], "L"), render_handover_act(_act(30))] * 4
"""
    tests_dir = str(Path(__file__).resolve().parents[1])
    subprocess.run([sys.executable, "-c", script, tests_dir], check=True, timeout=120)
