"""Institution-wide placeholders, pre-filled from the portal's site settings.

A rule matches a placeholder's normalised key; its value comes from ``PortalSettings`` (the
institution's name, research office, point of contact, guidance link). An office fills these once
in Settings › Portal settings and every template starts with them.
"""

import re

from .engine import Kind, Placeholder

DEFAULT_RESEARCH_OFFICE = "research office"


def _contact(settings) -> str:
    name_and_role = ", ".join(
        part for part in (settings.contact_name, settings.contact_role) if part
    )
    if name_and_role and settings.contact_email:
        return f"{name_and_role} ({settings.contact_email})"
    return name_and_role or settings.contact_email


def _get_in_touch(settings) -> str:
    contact = _contact(settings)
    return f"Contact {contact}." if contact else ""


RULES = (
    (re.compile(r"^insert (institution|organisation|organization)( name)?$"), "institution"),
    (re.compile(r"poc|point of contact"), "contact"),
    (re.compile(r"^insert how to get in touch"), "get_in_touch"),
    (re.compile(r"^insert link$|guidance link"), "guidance_url"),
    (re.compile(r"^or:or insert equivalent function$"), "research_office"),
)


def prefill_values(placeholders: list[Placeholder], settings) -> dict[str, str]:
    """Initial values, by placeholder key, for the institution-wide placeholders ``settings``
    (a ``PortalSettings``) can answer. Placeholders it cannot answer are absent."""
    sources = {
        "institution": settings.institution_name,
        "contact": _contact(settings),
        "get_in_touch": _get_in_touch(settings),
        "guidance_url": settings.guidance_url,
        "research_office": (
            ""
            if settings.research_office_name.strip().lower() in ("", DEFAULT_RESEARCH_OFFICE)
            else settings.research_office_name
        ),
    }
    values = {}
    for placeholder in placeholders:
        if placeholder.kind not in (Kind.FILL, Kind.OR):
            continue
        for pattern, source in RULES:
            if pattern.search(placeholder.key) and sources[source]:
                values[placeholder.key] = sources[source]
                break
    return values
