"""DDAS Vroegsignalering code lists, with the values exactly as VNG Realisatie publishes them.

Source: VNG-Realisatie/ddas-vroegsignalering, docs/definities/Detail_Model Vroegsignalering.md
(objects Signaalpartner, Vroegsignaal, Vroegsignaalzaak, Contactpoging; enumerations
EnumSignaalpartner, EnumSignaalstatus, EnumEindresultaat, EnumContactsoort, EnumDagdeel). DDAS
identifies a value by its text, so the text is the code that goes into exports; the short keys are
Wijkradar's own, for URLs, forms and mapping files. Never change a value's text.
"""

from __future__ import annotations

from wijkradar.domain import WijkradarError

#: EnumSignaalpartner
PARTNER_KINDS: dict[str, str] = {
    "energie": "Energie",
    "huur": "Huur",
    "hypotheek": "Hypotheek",
    "cak_zorgverzekering": "CAK Zorgverzekeringen",
    "zorg": "Zorg",
    "water": "Water",
    "duo": "DUO",
    "belastingdienst": "Belastingdienst",
    "cak_eigen_bijdrage": "CAK Eigen bijdrage",
    "toeslagen": "Dienst Toeslagen",
    "overige": "Overige",
}

#: EnumSignaalstatus (a Vroegsignaal's status)
SIGNAL_STATUSES: dict[str, str] = {
    "nog_niet_opgepakt": "Nog niet opgepakt",
    "onterecht": "Niet opgepakt: onterecht signaal",
    "overleden": "Inwoner is overleden",
    "geen_inwoner": "Persoon is geen inwoner (meer) in de gemeente",
    "herhaald": "Niet opgepakt: herhaalde melding",
    "andere_reden": "Niet opgepakt: andere reden",
}
#: Wijkradar's own status of a signal that a case took up (DDAS has no value for it: the case's
#: end result says what happened); partners hear only "opgepakt".
PICKED_UP = "opgepakt"

#: EnumEindresultaat (a Vroegsignaalzaak's result)
END_RESULTS: dict[str, str] = {
    "herhaald": "Niet opgepakt: herhaalde melding",
    "onterecht": "Niet opgepakt: onterecht signaal",
    "overleden": "Inwoner is overleden",
    "geen_inwoner": "Persoon is geen inwoner (meer) in de gemeente",
    "andere_reden": "Niet opgepakt: andere reden",
    "al_bekend_shv": "Inwoner al bekend bij schuldhulpverlening",
    "ander_traject": "Inwoner heeft al een ander lopend traject",
    "geen_contact": "Definitief geen contact kunnen krijgen",
    "geen_reactie": "Geen reactie na eerder contact",
    "geen_hulp_nodig": "Inwoner hoeft geen hulp vanuit vroegsignalering",
    "zelf_opgelost": "Inwoner heeft zelf al betaald/betalingsregeling getroffen",
    "quick_fix": "(Budget)advies en/of ‘quick fix’",
    "vervolg_financieel": "Vervolghulp en/of verwijzing financieel",
    "verwijzing_zonder_contact": "Verwijzing zonder contact",
    "vervolg_niet_financieel": "Vervolghulp en/of verwijzing niet financieel",
}
#: End results that count as "help accepted" in reach figures (our reading of DDAS: help was
#: given or taken up after contact).
HELP_ACCEPTED = frozenset({"quick_fix", "vervolg_financieel", "vervolg_niet_financieel"})
#: End results that mean the signal was not picked up (partner feedback: "niet opgepakt").
NOT_PICKED_UP = frozenset({"herhaald", "onterecht", "andere_reden", "overleden", "geen_inwoner"})

#: EnumContactsoort
CONTACT_KINDS: dict[str, str] = {
    "mail": "Mail",
    "brief": "Brief",
    "sms": "SMS/Whatsapp",
    "telefoon": "Telefoon",
    "huisbezoek": "Huisbezoek",
    "kaartje": "Kaartje",
    "overige": "Overige",
    "administratief": "Administratief",
}

#: EnumDagdeel
PARTS_OF_DAY: dict[str, str] = {"ochtend": "Ochtend", "middag": "Middag", "avond": "Avond"}

#: Wijkradar's case workflow states (the DDAS result is recorded when a case closes).
CASE_STATES: dict[str, str] = {
    "nieuw": "Nieuw",
    "in_behandeling": "In behandeling",
    "afgesloten": "Afgesloten",
}


def check(codes: dict[str, str], key: str, what: str) -> str:
    """`key` if it is in the code list, else a one-line error naming the allowed keys."""
    if key not in codes:
        raise WijkradarError(f"unknown {what} {key!r}; expected one of: {', '.join(codes)}")
    return key
