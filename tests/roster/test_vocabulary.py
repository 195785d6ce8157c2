"""The table of HR's words (roster/vocabulary.py): complete for every language, and never ambiguous
once folded, since a folded word meaning two things would be read as whichever came last."""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from calven_desk.roster import FIELDS, field_for_header
from calven_desk.roster.vocabulary import (
    HALF_DAY_WORDS,
    HEADERS,
    LANGUAGES,
    MONTH_NAMES,
    NAME_HEADERS,
    STATUS_WORDS,
    TEMPLATES,
    UNIT_WORDS,
    WEEKDAY_NAMES,
    Language,
    Words,
    fold,
)

#: The fields HR systems write in their own language (Calven's uid is Calven's own word).
HR_FIELDS = [f for f in FIELDS if f != "uid"]


def meanings(table: Mapping[str, Words]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for kind, languages in table.items():
        for words in languages.values():
            for word in words:
                found.setdefault(fold(word), set()).add(kind)
    return found


@pytest.mark.parametrize(
    "table",
    [HEADERS, STATUS_WORDS, HALF_DAY_WORDS, UNIT_WORDS],
    ids=["headers", "statuses", "half days", "units"],
)
def test_no_folded_word_means_two_things(table: Mapping[str, Words]) -> None:
    clashes = {word: kinds for word, kinds in meanings(table).items() if len(kinds) > 1}
    assert clashes == {}


def test_no_word_is_empty_once_folded() -> None:
    for table in (HEADERS, NAME_HEADERS, STATUS_WORDS, HALF_DAY_WORDS, UNIT_WORDS):
        for languages in table.values():
            for words in languages.values():
                assert all(fold(w) for w in words), words


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_every_language_has_words_for_every_field_status_and_name(language: Language) -> None:
    for field in HR_FIELDS:
        assert HEADERS[field].get(language), (field, language)
    for table in (STATUS_WORDS, HALF_DAY_WORDS, NAME_HEADERS):
        for kind, languages in table.items():
            assert languages.get(language), (kind, language)
    assert len(MONTH_NAMES[language]) == 12
    assert len(WEEKDAY_NAMES[language]) >= 7
    headers, example = TEMPLATES[language]
    assert len(headers) == len(example)


def test_month_names_name_one_month_each() -> None:
    months: dict[str, set[int]] = {}
    for names in MONTH_NAMES.values():
        for number, spellings in enumerate(names, start=1):
            for name in spellings:
                months.setdefault(fold(name), set()).add(number)
    assert {name: found for name, found in months.items() if len(found) > 1} == {}
    weekdays = {fold(w) for names in WEEKDAY_NAMES.values() for w in names}
    assert not weekdays & set(months)


def test_folding_ignores_case_accents_spaces_and_punctuation() -> None:
    assert (
        fold("Date de début") == fold("DATE_DE_DEBUT") == fold(" date-de-début: ") == "datededebut"
    )
    assert fold("Approuvée.") == fold("approuvee") == "approuvee"
    assert fold("Type d’absence") == fold("Type d'absence") == "typedabsence"
    assert fold("Straße") == "strasse"


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("E-Mail", "email"),
        ("Adresse e-mail", "email"),
        ("Correo electrónico", "email"),
        ("E-mailadres", "email"),
        ("Indirizzo email", "email"),
        ("Abwesenheitstyp", "timeOffType"),
        ("Type d'absence", "timeOffType"),
        ("Tipo de ausencia", "timeOffType"),
        ("Verloftype", "timeOffType"),
        ("Tipo di assenza", "timeOffType"),
        ("Startdatum", "startDate"),
        ("Date de début", "startDate"),
        ("Fecha de inicio", "startDate"),
        ("Data inizio", "startDate"),
        ("Enddatum", "endDate"),
        ("Date de fin", "endDate"),
        ("Fecha de fin", "endDate"),
        ("Einddatum", "endDate"),
        ("Data fine", "endDate"),
        ("Status", "eventType"),
        ("Statut", "eventType"),
        ("Estado", "eventType"),
        ("Stato", "eventType"),
        ("Antrags-ID", "eventId"),
        ("ID de la demande", "eventId"),
        ("ID de solicitud", "eventId"),
        ("Aanvraag-ID", "eventId"),
        ("ID richiesta", "eventId"),
        ("Half day first day", "halfDayStart"),
        ("Half day last day", "halfDayEnd"),
        ("Halber Tag am Ende", "halfDayEnd"),
        ("Demi-journée", "halfDay"),
        ("Medio día", "halfDay"),
        ("Halve dag", "halfDay"),
        ("Mezza giornata", "halfDay"),
        ("Start time", "startTime"),
        ("Heure de fin", "endTime"),
        ("Ora inizio", "startTime"),
        ("Amount", "days"),
        ("Dauer (Tage)", "days"),
        ("Stunden", "hours"),
        ("Horas", "hours"),
    ],
)
def test_headers_as_hr_systems_write_them(header: str, field: str) -> None:
    assert field_for_header(header) == field
