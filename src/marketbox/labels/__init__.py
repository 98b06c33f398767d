"""PDF shipping labels and handover acts with scannable Code 128 barcodes."""

from marketbox.labels.documents import ActLine, HandoverAct, ParcelLabel
from marketbox.labels.lamoda import (
    LamodaItemLabel,
    LamodaLabel,
    LamodaPackLabel,
    LamodaPalletLabel,
    render_lamoda_labels,
)
from marketbox.labels.render import LABEL_SIZES_MM, render_handover_act, render_parcel_labels

__all__ = [
    "LABEL_SIZES_MM",
    "ActLine",
    "HandoverAct",
    "LamodaItemLabel",
    "LamodaLabel",
    "LamodaPackLabel",
    "LamodaPalletLabel",
    "ParcelLabel",
    "render_handover_act",
    "render_lamoda_labels",
    "render_parcel_labels",
]
