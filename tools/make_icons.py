"""Make the app icon's platform formats from brugdesk/resources/icons/brugdesk.svg.

``python -m tools.make_icons [OUT_DIR]`` writes, next to the SVG by default:

* ``brugdesk-<size>.png`` for each size in :data:`PNG_SIZES` (Linux, the window icon);
* ``brugdesk.ico`` (Windows): an ICO container with PNG-compressed images;
* ``brugdesk.icns`` (macOS): an ICNS container with PNG images (icp4…ic10).

The SVG is drawn by Qt (QSvgRenderer, from PySide6-Essentials); the two containers
are simple enough to write by hand, so no image library is needed.
"""

from __future__ import annotations

import struct
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

ICONS = Path(__file__).resolve().parent.parent / "brugdesk" / "resources" / "icons"
SVG = ICONS / "brugdesk.svg"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
#: ICNS chunk type → pixel size; every one of these holds a PNG.
ICNS_TYPES = {
    "icp4": 16,
    "icp5": 32,
    "icp6": 64,
    "ic07": 128,
    "ic08": 256,
    "ic09": 512,
    "ic10": 1024,  # 512x512@2x
}


def render_png(svg: Path, size: int) -> bytes:
    """The SVG drawn on a transparent square of *size* pixels, as PNG bytes."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise ValueError(f"{svg} is not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise OSError(f"could not encode a {size}px PNG")
    buffer.close()
    return bytes(data.data())


def ico_bytes(pngs: Mapping[int, bytes]) -> bytes:
    """An ICO file holding one PNG image per size (PNG entries: Windows Vista and later).

    Layout: ICONDIR (reserved 0, type 1, count), then one 16-byte ICONDIRENTRY per
    image (width, height — 0 meaning 256 —, colours 0, reserved 0, planes 1, 32 bits
    per pixel, byte length, offset), then the images. All little-endian.
    """
    sizes = sorted(pngs)
    if any(not 1 <= s <= 256 for s in sizes):
        raise ValueError("ICO images are 1 to 256 pixels")
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = len(header) + 16 * len(sizes)
    entries = b""
    for size in sizes:
        dim = 0 if size == 256 else size
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(pngs[size]), offset)
        offset += len(pngs[size])
    return header + entries + b"".join(pngs[s] for s in sizes)


def icns_bytes(chunks: Iterable[tuple[str, bytes]]) -> bytes:
    """An ICNS file: 'icns' and the total length, then per image its four-letter type,
    the chunk length (including these 8 bytes) and the PNG. All big-endian."""
    body = b"".join(
        kind.encode("ascii") + struct.pack(">I", 8 + len(data)) + data for kind, data in chunks
    )
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def make_icons(out_dir: Path = ICONS, svg: Path = SVG) -> list[Path]:
    """Write every icon file into *out_dir*; returns the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    needed = set(PNG_SIZES) | set(ICO_SIZES) | set(ICNS_TYPES.values())
    pngs = {size: render_png(svg, size) for size in sorted(needed)}
    written = []
    for size in PNG_SIZES:
        path = out_dir / f"brugdesk-{size}.png"
        path.write_bytes(pngs[size])
        written.append(path)
    ico = out_dir / "brugdesk.ico"
    ico.write_bytes(ico_bytes({s: pngs[s] for s in ICO_SIZES}))
    icns = out_dir / "brugdesk.icns"
    icns.write_bytes(icns_bytes((kind, pngs[size]) for kind, size in ICNS_TYPES.items()))
    return [*written, ico, icns]


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]) if args else ICONS
    for path in make_icons(out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
