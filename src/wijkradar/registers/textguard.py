"""The personal-data check for free text in the registers (escalations): the project's one
check, `wijkradar.ops.core.textcheck` (deduce for names and addresses; exact checks for BSN, phone,
e-mail, postcode and dates of birth)."""

from __future__ import annotations

from wijkradar.ops.core.textcheck import Finding, explain, find_personal_data

__all__ = ["Finding", "explain", "find_personal_data"]
