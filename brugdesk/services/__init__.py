"""The sub-services of :class:`brugdesk.caseload.Caseload`, one module per subject."""
