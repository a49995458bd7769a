"""Entry point of the PyInstaller bundle (``packaging/brugdesk.spec``).

Normally it starts the app as ``brugdesk`` does. With ``BRUGDESK_BUNDLE_PROBE=1``
(``make bundle-check``) the frozen app first runs the smoke job of
``tools/smoke.py`` inside itself — a vault created, unlocked and migrated, every
instrument loaded, a referral letter rendered with the bundled font, encrypted,
read back and rendered by pdfium — and then starts the window with
``BRUGDESK_STARTUP_PROBE``, which quits once the first frame is painted.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

BUNDLE_PROBE = "BRUGDESK_BUNDLE_PROBE"


def main() -> int:
    probing = bool(os.environ.get(BUNDLE_PROBE))
    if probing:
        from tools import smoke

        with tempfile.TemporaryDirectory(prefix="brugdesk-probe-") as tmp:
            smoke.run(Path(tmp), say=lambda line: print(line, flush=True))
        os.environ["BRUGDESK_STARTUP_PROBE"] = "1"
    from brugdesk.ui.app import main as app_main

    code = app_main(sys.argv[1:])
    if probing:
        print(f"window closed, exit code {code}", flush=True)
    return code


if __name__ == "__main__":
    sys.exit(main())
