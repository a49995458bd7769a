"""The sub-services of :class:`brugdesk.app.caseload.Caseload`, one module per subject."""
