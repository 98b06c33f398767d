"""Lamoda FBS labels, checked like test_render's: rasterised, barcodes scanned, text read."""

from __future__ import annotations

import dataclasses

import pypdfium2 as pdfium  # type: ignore[import-untyped, unused-ignore]
import pytest

from marketbox.labels import (
    LABEL_SIZES_MM,
    LamodaItemLabel,
    LamodaLabel,
    LamodaPackLabel,
    LamodaPalletLabel,
    render_lamoda_labels,
)
from marketbox.labels import render as parcel_render
from marketbox.labels.lamoda import LABEL_SIZES_MM as LAMODA_LABEL_SIZES_MM
from tests.labels.test_render import Page, _pages, _scan, _squash

SCAN_DPI = 300
PRINTER_DPI = 203  # the usual thermal label printer
SIZES = ["S", "M", "L"]
PT_PER_MM = 72 / 25.4
SELLER = "ООО «Ромашка»"

ITEM = LamodaItemLabel(
    item_id=123456789,
    order_nr="RU261123-000042",
    sku="NK-PEG40-BLK-42",
    name="Кроссовки мужские Nike Air Zoom Pegasus 40",
    size="42",
    seller_name=SELLER,
)
PACK = LamodaPackLabel(
    pack_number="LMP0000123456",
    order_nr="RU261123-000042",
    pack_index=2,
    pack_count=3,
    seller_name=SELLER,
    shipping_method="Курьерская доставка Lamoda Express",
    city="Москва",
)
PALLET = LamodaPalletLabel(
    barcode="LMPL000000123",
    seller_name=SELLER,
    shipment_id="SHP-2025-000777",
    pack_count=42,
)
KINDS: dict[str, LamodaLabel] = {"item": ITEM, "pack": PACK, "pallet": PALLET}

LONG_NAME = (
    "Кроссовки мужские беговые с амортизирующей подошвой, сетчатым верхом и светоотражающими "
    "вставками, Щёлковский завод спортивной обуви «Быстроногий Ёжик» " * 12
)


def _value(label: LamodaLabel) -> str:
    if isinstance(label, LamodaItemLabel):
        return str(label.item_id)
    if isinstance(label, LamodaPackLabel):
        return label.pack_number
    return label.barcode


def _assert_page_size(page: Page, size: str) -> None:
    width_mm, height_mm = LABEL_SIZES_MM[size]
    assert page.width_pt == pytest.approx(width_mm * PT_PER_MM, abs=0.5)
    assert page.height_pt == pytest.approx(height_mm * PT_PER_MM, abs=0.5)


def test_label_sizes_are_the_parcel_label_sizes() -> None:
    assert LAMODA_LABEL_SIZES_MM == {"S": (58, 40), "M": (75, 120), "L": (100, 150)}
    assert LAMODA_LABEL_SIZES_MM is parcel_render.LABEL_SIZES_MM


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("kind", list(KINDS))
def test_single_label_has_page_size_barcode_and_value(kind: str, size: str) -> None:
    label = KINDS[kind]
    (page,) = _pages(render_lamoda_labels([label], size))

    _assert_page_size(page, size)
    assert _scan(page.image) == [_value(label)]
    assert _value(label) in page.text


@pytest.mark.parametrize("size", SIZES)
def test_mixed_document_has_one_scannable_page_per_label(size: str) -> None:
    labels: list[LamodaLabel] = [
        ITEM,
        dataclasses.replace(ITEM, item_id=123456790, size=""),
        PACK,
        dataclasses.replace(PACK, pack_number="LMP0000123457", pack_index=3),
        PALLET,
    ]
    pages = _pages(render_lamoda_labels(labels, size))

    assert len(pages) == len(labels)
    for page in pages:
        _assert_page_size(page, size)
    assert [_scan(page.image) for page in pages] == [[_value(label)] for label in labels]


@pytest.mark.parametrize("size", ["M", "L"])
def test_full_item_label_prints_every_field(size: str) -> None:
    (page,) = _pages(render_lamoda_labels([ITEM], size), raster=False)
    text = _squash(page.text)

    assert "Продавец: ООО «Ромашка»" in text
    assert "Заказ: RU261123-000042" in text
    assert "Артикул: NK-PEG40-BLK-42" in text
    assert ITEM.name in text
    assert "Размер: 42" in text


@pytest.mark.parametrize("size", ["M", "L"])
def test_full_pack_label_prints_every_field(size: str) -> None:
    (page,) = _pages(render_lamoda_labels([PACK], size), raster=False)
    text = _squash(page.text)

    assert "Продавец: ООО «Ромашка»" in text
    assert "Заказ: RU261123-000042" in text
    assert "Место 2 из 3" in text
    assert "Курьерская доставка Lamoda Express" in text
    assert "Город: Москва" in text


@pytest.mark.parametrize("size", ["M", "L"])
def test_full_pallet_label_prints_every_field(size: str) -> None:
    (page,) = _pages(render_lamoda_labels([PALLET], size), raster=False)
    text = _squash(page.text)

    assert "Продавец: ООО «Ромашка»" in text
    assert "ПАЛЛЕТА" in text
    assert "Отгрузка: SHP-2025-000777" in text
    assert "Коробов: 42" in text


def test_pallet_without_shipment_and_item_without_size_print_dashes() -> None:
    labels: list[LamodaLabel] = [
        dataclasses.replace(PALLET, shipment_id=None),
        dataclasses.replace(ITEM, size=""),
    ]
    pallet, item = _pages(render_lamoda_labels(labels, "M"), raster=False)

    assert "Отгрузка: —" in pallet.text
    assert "Размер: —" in item.text


def test_small_labels_print_the_order_number_but_not_the_details() -> None:
    item, pack, pallet = _pages(render_lamoda_labels([ITEM, PACK, PALLET], "S"), raster=False)

    assert "RU261123-000042" in item.text
    assert "Кроссовки" not in item.text
    assert "NK-PEG40-BLK-42" not in item.text
    assert "RU261123-000042" in pack.text
    assert "2/3" in pack.text
    assert "Москва" not in pack.text
    assert "Коробов: 42" in pallet.text
    assert "ООО" not in item.text + pack.text + pallet.text


@pytest.mark.parametrize("size", SIZES)
def test_long_cyrillic_names_are_cut_to_fit_and_the_barcode_still_scans(size: str) -> None:
    labels: list[LamodaLabel] = [
        dataclasses.replace(ITEM, name=LONG_NAME, seller_name=LONG_NAME, sku="АРТ-" + "Ж" * 80),
        dataclasses.replace(PACK, shipping_method=LONG_NAME, city=LONG_NAME, seller_name=LONG_NAME),
        dataclasses.replace(PALLET, seller_name=LONG_NAME, shipment_id="Ш" * 200),
    ]
    pages = _pages(render_lamoda_labels(labels, size))

    assert len(pages) == 3
    for page, label in zip(pages, labels, strict=True):
        _assert_page_size(page, size)
        assert _scan(page.image) == [_value(label)]
    if size != "S":
        item_text = _squash(pages[0].text)
        assert "Кроссовки мужские беговые" in item_text
        assert "…" in item_text
        assert "Размер: 42" in item_text  # the footer survives a name that would fill the page


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("kind", list(KINDS))
def test_barcode_survives_label_printer_resolution(kind: str, size: str) -> None:
    label = KINDS[kind]
    (page,) = _pages(render_lamoda_labels([label], size), dpi=PRINTER_DPI)

    assert _scan(page.image) == [_value(label)]


def test_document_metadata_names_lamoda() -> None:
    document = pdfium.PdfDocument(render_lamoda_labels([ITEM, PACK], "M"))
    try:
        metadata = document.get_metadata_dict()
    finally:
        document.close()

    assert metadata["Title"].startswith("Lamoda labels")
    assert metadata["Author"] == SELLER


def test_rendering_is_deterministic() -> None:
    labels: list[LamodaLabel] = [ITEM, PACK, PALLET]
    assert render_lamoda_labels(labels, "L") == render_lamoda_labels(labels, "L")


def test_empty_label_list_is_rejected() -> None:
    with pytest.raises(ValueError, match="no labels"):
        render_lamoda_labels([], "M")


@pytest.mark.parametrize("size", ["XL", "s", "", "A4"])
def test_unknown_size_is_rejected(size: str) -> None:
    with pytest.raises(ValueError, match="unknown label size"):
        render_lamoda_labels([ITEM], size)


def test_barcode_values_that_cannot_be_encoded_are_rejected() -> None:
    with pytest.raises(ValueError, match="printable ASCII"):
        render_lamoda_labels([dataclasses.replace(PACK, pack_number="МЕСТО-1")], "M")
    with pytest.raises(ValueError, match="printable ASCII"):
        render_lamoda_labels([dataclasses.replace(PALLET, barcode="")], "L")
    with pytest.raises(ValueError, match="too long"):
        render_lamoda_labels([dataclasses.replace(PALLET, barcode="X" * 60)], "S")
