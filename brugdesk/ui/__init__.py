"""The PySide6 desktop app: the only package that imports Qt.

Widgets ask the core (``brugdesk.app.caseload.Caseload``) for records and tell it
what the user did; they never touch SQL or an ORM session.
"""
