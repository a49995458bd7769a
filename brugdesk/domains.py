"""The life domains (leefgebieden) used to tag contacts, actions and assessments.

Ids are stable keys stored in the vault; names are what the worker sees.
"""

from __future__ import annotations

DOMAINS = {
    "financien": "Geld en schulden",
    "werk": "Werk, opleiding en dagbesteding",
    "wonen": "Wonen",
    "netwerk": "Sociaal netwerk en eenzaamheid",
    "gezin": "Gezin en relaties",
    "lichaam": "Lichamelijke gezondheid",
    "psyche": "Psychisch welbevinden",
    "zingeving": "Zingeving",
    "middelen": "Middelengebruik",
    "zelfzorg": "Zelfzorg en dagelijks functioneren",
    "administratie": "Administratie, taal en digitale vaardigheden",
    "veiligheid": "Justitie en veiligheid",
    "mantelzorg": "Mantelzorg",
}
