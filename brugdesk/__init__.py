"""brugdesk: an encrypted caseload for the bridge between GP practice and social domain.

The package root and ``brugdesk.storage`` are Qt-free; ``brugdesk.ui`` is the
only place that imports PySide6.
"""

__version__ = "0.1.0"
