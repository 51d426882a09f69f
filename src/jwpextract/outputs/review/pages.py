"""Page images of a PDF for the review page: rendered by PDFium, encoded as JPEG by Pillow (I/O edge).

A page is rendered on its media box, the box the PDF engines measure the layout on, so the
layout's boxes fall on the image at ``dpi / 72`` pixels per point.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Iterator
from dataclasses import dataclass

from ...errors import SourceError

DEFAULT_DPI = 96
DEFAULT_QUALITY = 65  # JPEG quality: about 100 KB for a page of text at 96 dpi


@dataclass(frozen=True)
class PageImage:
    number: int
    width: int  # pixels
    height: int
    uri: str  # data: URI of the JPEG


def render_pages(path: str, data: bytes, dpi: int, quality: int, password: str | None = None) -> Iterator[PageImage]:
    """Each page of the PDF ``data`` (the content of ``path``) as an image."""
    import pypdfium2

    try:
        pdf = pypdfium2.PdfDocument(data, password=password)
    except pypdfium2.PdfiumError as exc:
        raise SourceError(path, f"cannot render: {exc}") from None
    try:
        for k in range(len(pdf)):
            page = pdf[k]
            try:
                media = page.get_mediabox()
                if page.get_cropbox() != media:
                    page.set_cropbox(*media)
                image = page.render(scale=dpi / 72).to_pil()
                buffer = io.BytesIO()
                image.convert("RGB").save(buffer, "JPEG", quality=quality, optimize=True)
            finally:
                page.close()
            uri = "data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
            yield PageImage(k + 1, image.width, image.height, uri)
    finally:
        pdf.close()
