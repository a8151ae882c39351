"""Which export a header row belongs to (Microsoft/Google Forms, Mailchimp): no polars, the reader child uses it."""

from __future__ import annotations

from typing import Any

from etl.contract_view import fold

MS_ID = {"id"}
MS_START = {"starttime", "begintijd", "starttijd"}
MS_DONE = {"completiontime", "tijdvanvoltooien", "voltooiingstijd", "eindtijd"}
MS_META = MS_ID | MS_START | MS_DONE | {"lastmodifiedtime", "tijdstipvanlaatstewijziging", "laatstgewijzigd"}
GOOGLE_TIME = {"timestamp", "tijdstempel"}

# the contract sheet each export delivers
MODEL: dict[str, str] = {"microsoft_forms": "Enquete", "google_forms": "Enquete", "mailchimp": "Contacten"}


def detect(headers: list[Any]) -> str | None:
    """Which export a header row belongs to: 'microsoft_forms', 'google_forms', 'mailchimp' or None."""
    keys = [fold(h) for h in headers if h is not None and str(h).strip()]
    if not keys:
        return None
    ks = set(keys)
    if ks & MS_ID and ks & MS_START and ks & MS_DONE:
        return "microsoft_forms"
    if keys[0] in GOOGLE_TIME:
        return "google_forms"
    if "emailaddress" in ks and "tags" in ks:
        return "mailchimp"
    return None
