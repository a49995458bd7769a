"""Worker profile and preferences, stored inside the encrypted vault."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from brugdesk.domain.records import WorkerSettings
from brugdesk.domain.settings_rules import _KEYS, clean_settings
from brugdesk.services.audit import record
from brugdesk.services.base import Service
from brugdesk.storage.models import Setting


class SettingsService(Service):
    def get(self) -> WorkerSettings:
        with self._tx() as s:
            stored = {row.key: row.value for row in s.scalars(select(Setting))}
        values = {k: stored[k] for k in _KEYS if k in stored}
        return WorkerSettings(**values)

    def update(self, **changes: Any) -> WorkerSettings:
        data = clean_settings(changes)
        with self._tx() as s:
            changed = []
            for key, value in data.items():
                row = s.get(Setting, key)
                if row is None:
                    s.add(Setting(key=key, value=value))
                    changed.append(key)
                elif row.value != value:
                    row.value = value
                    changed.append(key)
            if changed:
                record(s, "change", "settings", fields=sorted(changed))
        return self.get()
