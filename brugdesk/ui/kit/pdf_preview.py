"""Show exactly the PDF bytes that will be written, page by page (pypdfium2, in memory)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget


def render_pages(
    pdf: bytes,
    scale: float = 1.2,
    password: str | None = None,
    device_pixel_ratio: float = 1.0,
) -> list[QImage]:
    """Rasterise every page; runs fine on a worker thread (QImage, not QPixmap).

    On a high-DPI screen pass the widget's ``devicePixelRatioF()``: the page is
    rendered with that many more pixels and the image says so, so it is shown
    sharp at the same size on screen.
    """
    import pypdfium2 as pdfium

    ratio = max(1.0, float(device_pixel_ratio))

    document = pdfium.PdfDocument(pdf, password=password)
    images = []
    try:
        for index in range(len(document)):
            bitmap = document[index].render(scale=scale * ratio, rev_byteorder=True)
            data = bytes(bitmap.buffer)
            image = QImage(
                data, bitmap.width, bitmap.height, bitmap.stride, QImage.Format.Format_RGB888
            )
            image = image.copy()  # own the pixels; `data` goes away
            image.setDevicePixelRatio(ratio)
            images.append(image)
    finally:
        document.close()
    return images


class PdfPreview(QScrollArea):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.inner = QWidget()
        self.inner.setStyleSheet("background: #8a8a8a;")
        self.column = QVBoxLayout(self.inner)
        self.column.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.setWidget(self.inner)
        self.pages: list[QLabel] = []
        self.show_message("Het voorbeeld wordt gemaakt…")

    def _clear(self) -> None:
        while self.column.count():
            item = self.column.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()  # gone at once, not only when the deferred delete runs
                widget.deleteLater()
        self.pages = []

    def show_message(self, text: str) -> None:
        self._clear()
        label = QLabel(text)
        label.setTextFormat(Qt.TextFormat.PlainText)  # may name a file the worker chose
        label.setWordWrap(True)
        label.setStyleSheet("color: white; padding: 24px;")
        self.column.addWidget(label)

    def show_pages(self, images: list[QImage]) -> None:
        self._clear()
        for number, image in enumerate(images, start=1):
            page = QLabel()
            page.setPixmap(QPixmap.fromImage(image))  # keeps the image's devicePixelRatio
            page.setAccessibleName(f"Pagina {number}")
            page.setStyleSheet("background: white; margin: 6px;")
            self.column.addWidget(page)
            self.pages.append(page)
