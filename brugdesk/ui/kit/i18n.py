"""Every user-visible string goes through :func:`tr` (Dutch source strings)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def tr(text: str, context: str = "brugdesk") -> str:
    return QCoreApplication.translate(context, text)
