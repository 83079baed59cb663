"""The portal's help texts, in Dutch, by field name (`Model.field` for one model's field): the
contracts describe their fields in English for integrators, and a page in Dutch shows only Dutch
(a field without a text here gets none)."""

from __future__ import annotations

HULPTEKSTEN = {
    "gemeente": "De gemeente waar de betrokkene verblijft.",
    "ontvangen_op": "Wanneer de melding binnenkwam; niet in de toekomst.",
    "adres": "Postadres, voor brieven.",
    "anoniem_naar_betrokkene": "De betrokkene hoort niet wie de melding deed.",
    "geboortedatum": "Vanaf 1 januari 1900.",
    "ernstig_nadeel": "Welk ernstig nadeel de melder zag.",
    "vragenlijst": "Antwoorden op de standaardvragenlijst, per vraag (JSON).",
    "afwijking_motivatie": "Waarom het vervolg afwijkt van wat de antwoorden doen verwachten.",
    "doorverwezen_naar": "Verplicht bij vervolg regulier; anders leeg laten.",
    "jeugdexpertise": "De geconsulteerde heeft expertise in kinder- en jeugdpsychiatrie.",
    "reden": "Waarom geen aanvraag, of waarom de gemeente geen noodzaak ziet.",
    "melder_verzoekt_zorgmachtiging": "Een daartoe bevoegde melder vraagt om een zorgmachtiging.",
    "zonder_ggz_motivatie": "Waarom de aanvraag zonder vastgelegde GGZ-consultatie kan.",
    "zonder_jeugdexpertise_motivatie": "Bij een minderjarige: waarom zonder jeugdexpertise.",
    "gemeld_op": "Het begin: vanaf hier loopt de norm van 18 uur.",
    "politie_en_justitiele_gegevens": "Alleen voor de psychiater.",
    "psychiater": "Uw eigen gebruikersnaam.",
    "is_behandelaar": "Ja wordt geweigerd: de behandelaar mag de verklaring niet opstellen.",
    "bevindingen": "De actuele gezondheidstoestand.",
    "hoorder": "Uw eigen gebruikersnaam; de partij volgt uit het mandaatregister.",
    "gehoord_op": "Wanneer de betrokkene is gehoord.",
    "wettelijk_vertegenwoordiger_gehoord": "Verplicht (ja) bij een betrokkene onder de 16.",
    "jonger_dan_16": "Of de betrokkene op de dag van het horen (mogelijk) jonger is dan 16.",
    "rechtsmiddel": "Het rechtsmiddel dat het besluit noemt.",
    "besloten_op": "Wanneer de burgemeester besloot; de termijnen lopen vanaf dit moment.",
    "advocaat": "De advocaat van de betrokkene; leeg: er wordt een toegewezen.",
    "ingediend_op": "Wanneer de rechtbank het verzoek ontving.",
    "beslist_op": "Wanneer de rechter besliste.",
    "partij": "De partij waarvoor de gebruiker hoort, bijvoorbeeld Vcare.",
    "uren": "Bestede uren, bijvoorbeeld 1.5.",
    # The regio-overleg: policy only, never a person.
    "StelOverlegIn.gemeente": "De gemeente waarvan het secretariaat het overleg voert.",
    "Deelnemer.gemeente": "Alleen bij een college van B&W: de gemeente, zoals GM0402.",
    "PlanVergadering.datum": "Datum en tijd (Nederlandse tijd); bepaalt het kwartaal.",
    "PlanVergadering.met_clientenperspectief": "Cliënten- en familieorganisaties zijn uitgenodigd"
    " (minstens één vergadering per jaar).",
    "ZetOpAgenda.titel": "Over beleid: individuele casussen worden hier niet besproken.",
    "LegVerslagVast.gehouden_op": "Wanneer de vergadering plaatsvond; niet in de toekomst.",
    "LegAfspraakVast.uiterlijk": "De dag waarop de afspraak uiterlijk gereed is.",
    "RegistreerUren.gemeente": "De gemeente waarvoor de uren zijn besteed.",
}
"""Help beside a field, by `Model.field` or else by its name; lists also get "Eén per regel"."""
