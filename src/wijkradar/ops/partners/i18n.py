"""Interface words of the partner-signal pages (Dutch first, English with ?lang=en), over the
workspace's words (ops.i18n)."""

from __future__ import annotations

from wijkradar.ops.i18n import WORDS as OPS_WORDS

_ENTRIES: dict[str, dict[str, str]] = {
    "new_signal": {"nl": "Nieuw signaal", "en": "New signal"},
    "import_csv": {"nl": "Maandbestand inlezen (CSV)", "en": "Import a monthly file (CSV)"},
    "area": {"nl": "Gebied", "en": "Area"},
    "buurt_optional": {"nl": "Buurt (code, optioneel)", "en": "Buurt (code, optional)"},
    "wijk_code": {"nl": "Wijk", "en": "Wijk"},
    "characteristics": {"nl": "Risicokenmerken", "en": "Risk characteristics"},
    "groups": {"nl": "Groepen", "en": "Groups"},
    "direction": {"nl": "Richting (vergeleken met normaal)", "en": "Direction (against usual)"},
    "dir:meer": {"nl": "meer dan normaal", "en": "more than usual"},
    "dir:gelijk": {"nl": "zoals normaal", "en": "as usual"},
    "dir:minder": {"nl": "minder dan normaal", "en": "less than usual"},
    "band": {"nl": "Ongeveer hoeveel huishoudens", "en": "Roughly how many households"},
    "text": {
        "nl": "Korte toelichting (optioneel, geen namen, adressen of andere persoonsgegevens)",
        "en": "Short note (optional; no names, addresses or other personal data)",
    },
    "check": {"nl": "Controleren", "en": "Check"},
    "confirm": {"nl": "Versturen", "en": "Submit"},
    "refused": {"nl": "Niet verstuurd", "en": "Not submitted"},
    "recent_title": {
        "nl": "Eerdere signalen over deze wijk en deze kenmerken (laatste 3 maanden)",
        "en": "Earlier signals about this wijk and these characteristics (last 3 months)",
    },
    "recent_all": {
        "nl": "Alle partners samen: {n} signalen.",
        "en": "All partners together: {n} signals.",
    },
    "recent_few": {
        "nl": "Alle partners samen: minder dan 10 signalen.",
        "en": "All partners together: fewer than 10 signals.",
    },
    "recent_none": {"nl": "Nog geen signalen.", "en": "No signals yet."},
    "recent_own": {"nl": "Van uw organisatie:", "en": "From your organisation:"},
    "confirm_note": {
        "nl": "Controleer of uw signaal nieuw is, en verstuur het dan.",
        "en": "Check that your signal is new, then submit it.",
    },
    "status:ontvangen": {"nl": "ontvangen", "en": "received"},
    "status:besproken": {"nl": "besproken", "en": "discussed"},
    "status:opgevolgd": {"nl": "opgevolgd", "en": "acted on"},
    "status:geen_actie": {"nl": "geen actie", "en": "no action"},
    "note": {"nl": "Notitie (wat is er gedaan?)", "en": "Note (what was done?)"},
    "set_status": {"nl": "Status bijwerken", "en": "Update the status"},
    "organisation": {"nl": "Organisatie", "en": "Organisation"},
    "source": {"nl": "Bron", "en": "Source"},
    "no_signals": {"nl": "Nog geen signalen.", "en": "No signals yet."},
    "csv_file": {"nl": "CSV-bestand", "en": "CSV file"},
    "csv_help": {
        "nl": "Kolommen: wijk;buurt;maand;kenmerken;groepen;richting;huishoudens;tekst - "
        "lijsten gescheiden door |. Alles of niets wordt ingelezen.",
        "en": "Columns: wijk;buurt;maand;kenmerken;groepen;richting;huishoudens;tekst - lists "
        "separated by |. All rows or none are imported.",
    },
    "imported_n": {"nl": "{n} signalen ingelezen.", "en": "{n} signals imported."},
    "class": {"nl": "Klasse", "en": "Class"},
    "class:known_signalled": {"nl": "Bekend en gesignaleerd", "en": "Known and signalled"},
    "class:under_the_radar": {"nl": "Onder de radar", "en": "Under the radar"},
    "class:emerging": {"nl": "Opkomend", "en": "Emerging"},
    "class:quiet": {"nl": "Rustig", "en": "Quiet"},
    "months_n": {"nl": "{n} mnd", "en": "{n} mo"},
    "flags_monitor": {"nl": "Gemarkeerde kenmerken (monitor)", "en": "Flagged (monitor)"},
    "arrears": {
        "nl": "Betalingsachterstanden per 1.000 huishoudens",
        "en": "Arrears per 1,000 households",
    },
    "profile": {"nl": "Profiel", "en": "Profile"},
    "wk_rising": {"nl": "Signalen stijgen", "en": "Signals rising"},
    "reference_month": {"nl": "Peilmaand", "en": "Reference month"},
    "radar_note": {
        "nl": "Klassen: stapeling {high} of meer in de monitor = hoog; gesignaleerd = {min} of "
        "meer signalen in {months} maanden. Zie de methode-pagina. Aantallen onder 10 worden niet "
        "getoond, andere afgerond op 5.",
        "en": "Classes: stacking {high} or more in the monitor = high; signalled = {min} or more "
        "signals in {months} months. See the method page. Counts below 10 are not shown, others "
        "rounded to 5.",
    },
    "no_monitor": {
        "nl": "Geen monitorcijfers voor deze gemeente.",
        "en": "No monitor figures for this gemeente.",
    },
    "coverage": {"nl": "Dekking per wijk", "en": "Coverage per wijk"},
    "gap": {"nl": "gat: geen partner, geen vindplaats", "en": "gap: no partner, no vindplaats"},
    "partners_here": {"nl": "Partners", "en": "Partners"},
    "places_here": {"nl": "Vindplaatsen", "en": "Vindplaatsen"},
    "add_place": {"nl": "Vindplaats toevoegen", "en": "Add a vindplaats"},
    "place_name": {"nl": "Naam", "en": "Name"},
    "postcode": {"nl": "Postcode", "en": "Postcode"},
    "huisnummer": {"nl": "Huisnummer", "en": "House number"},
    "not_placed": {"nl": "niet geplaatst", "en": "not placed"},
    "place:voedselbank": {"nl": "voedselbank", "en": "food bank"},
    "place:buurthuis": {"nl": "buurthuis", "en": "community centre"},
    "place:bibliotheek": {"nl": "bibliotheek", "en": "library"},
    "place:school": {"nl": "school", "en": "school"},
    "place:huisarts": {"nl": "huisarts", "en": "GP"},
    "place:anders": {"nl": "anders", "en": "other"},
    "tokens": {"nl": "API-sleutels", "en": "API tokens"},
    "tokens_note": {
        "nl": "Sleutels waarmee de systemen van uw organisatie signalen versturen. Een "
        "ingetrokken sleutel wordt meteen geweigerd. Nieuwe sleutels maakt de gemeente aan.",
        "en": "Tokens your organisation's systems send signals with. A revoked token is refused "
        "at once. New tokens are issued by the gemeente.",
    },
    "token_id": {"nl": "Kenmerk", "en": "Id"},
    "label": {"nl": "Omschrijving", "en": "Label"},
    "created": {"nl": "Aangemaakt", "en": "Created"},
    "last_used": {"nl": "Laatst gebruikt", "en": "Last used"},
    "state": {"nl": "Status", "en": "State"},
    "active": {"nl": "actief", "en": "active"},
    "revoked_on": {"nl": "ingetrokken {at} door {who}", "en": "revoked {at} by {who}"},
    "revoke": {"nl": "Intrekken", "en": "Revoke"},
    "revoked_done": {"nl": "Sleutel {id} is ingetrokken.", "en": "Token {id} is revoked."},
    "no_tokens": {"nl": "Geen sleutels.", "en": "No tokens."},
    "place_map_title": {"nl": "Vindplaatsen", "en": "Vindplaatsen"},
    "approximate": {
        "nl": "plek bij benadering: midden van de buurt",
        "en": "approximate: buurt centre",
    },
    "latitude": {"nl": "Breedtegraad (optioneel)", "en": "Latitude (optional)"},
    "longitude": {"nl": "Lengtegraad (optioneel)", "en": "Longitude (optional)"},
    "place_help": {
        "nl": "Geef postcode en huisnummer, of een punt (breedte- en lengtegraad), of beide.",
        "en": "Give postcode and house number, or a point (latitude and longitude), or both.",
    },
    "remove": {"nl": "Verwijderen", "en": "Remove"},
    "n_partners": {"nl": "Partners actief", "en": "Partners active"},
    "gap_short": {"nl": "gat", "en": "gap"},
    "gap_legend": {
        "nl": "Rode stippellijn: wijk zonder partner en zonder vindplaats (gat in de dekking).",
        "en": "Red dashed outline: wijk with neither partner nor vindplaats (coverage gap).",
    },
    "place_legend": {"nl": "Vindplaatsen op de kaart", "en": "Vindplaatsen on the map"},
}


# "state" of a signal reads "Status" here; the workspace's cases say "Stand"
WORDS = OPS_WORDS.extend("partner", _ENTRIES, replacing=frozenset({"state"}))
