"""Issue 24: an export in each of the six languages, shaped as the HR systems write it (Personio,
Factorial, HiBob, BambooHR), written by the test and checked by `calven-desk validate --json` as
a scheduled job runs it: every column found, every status word understood, pending and refused
requests and absences shorter than half a day skipped (not errors), half days a warning."""

from __future__ import annotations

import json
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from tests.cli.run import calven_desk
from tests.roster.files import write_ods, write_xlsx


def validate(path: Path, *options: str) -> tuple[int, dict[str, Any]]:
    result = calven_desk("validate", path, "--json", *options)
    assert result.returncode in (0, 1), result.stderr
    return result.returncode, json.loads(result.stdout)


def by_row(report: dict[str, Any]) -> dict[int, dict[str, Any]]:
    return {r["row"]: r for r in report["rows"]}


def messages(row: dict[str, Any]) -> list[tuple[str, str]]:
    return [(p["severity"], p["message"]) for p in row["problems"]]


def test_german_personio_export(tmp_path: Path) -> None:
    """`;`-separated, Windows-1252 as German Excel saves it, dates 02.03.2031, the issue's columns
    and its four status words; first and last names are read for the Timeline, never sent."""
    path = tmp_path / "Abwesenheiten.csv"
    path.write_bytes(
        (
            "Vorname;Nachname;E-Mail;Abwesenheitstyp;Startdatum;Enddatum;Halber Tag am Ende;Status\r\n"
            "Jürgen;Müller;juergen@example.de;Urlaub;02.03.2031;06.03.2031;Nein;genehmigt\r\n"
            "Anke;Schröder;anke@example.de;Urlaub;10.03.2031;11.03.2031;Ja;Genehmigt\r\n"
            "Bernd;Weiß;bernd@example.de;Urlaub;17.03.2031;18.03.2031;;beantragt\r\n"
            "Clara;Vogel;clara@example.de;Urlaub;24.03.2031;25.03.2031;;abgelehnt\r\n"
            "Dieter;Koch;dieter@example.de;Urlaub;02.03.2031;06.03.2031;;storniert\r\n"
            "Eva;Braun;eva@example.de;Krankheit;19.05.2031;19.05.2031;ja;genehmigt\r\n"
        ).encode("cp1252")
    )
    status, report = validate(path)
    assert status == 0  # skipped rows are no reason for exit status 1
    assert report["columns"] == {
        "email": "E-Mail",
        "timeOffType": "Abwesenheitstyp",
        "startDate": "Startdatum",
        "endDate": "Enddatum",
        "halfDayEnd": "Halber Tag am Ende",
        "eventType": "Status",
    }
    assert report["date_order"] == "dmy"
    rows = by_row(report)
    assert rows[2]["status"] == "valid"
    assert {k: v for k, v in rows[2]["event"].items() if k != "eventId"} == {
        "email": "juergen@example.de",
        "eventType": "scheduled",
        "startDate": "2031-03-02",
        "endDate": "2031-03-06",
        "timeOffType": "Urlaub",
    }
    assert rows[3]["status"] == "warning" and rows[3]["event"]["endDate"] == "2031-03-11"
    assert messages(rows[3]) == [
        (
            "warning",
            "Half a day on 11 March, the last day: Calven has whole days only; sent as a whole day.",
        )
    ]
    assert rows[4] == {
        "row": 4,
        "status": "skipped",
        "event": None,
        "problems": [
            {
                "field": "eventType",
                "severity": "info",
                "message": "Waiting for approval (beantragt): not sent.",
            }
        ],
    }
    assert rows[5]["status"] == "skipped" and rows[5]["event"] is None
    assert messages(rows[5]) == [("info", "Refused (abgelehnt): not sent.")]
    assert rows[6]["status"] == "valid" and rows[6]["event"]["eventType"] == "cancelled"
    assert messages(rows[7]) == [
        ("warning", "Half a day on 19 May: Calven has whole days only; sent as a whole day.")
    ]
    assert report["summary"] == {"rows": 6, "valid": 2, "warning": 2, "invalid": 0, "skipped": 2}
    text = calven_desk("validate", path)
    assert text.returncode == 0
    assert "Row 4 (Event type): skipped: Waiting for approval (beantragt): not sent." in text.stdout
    assert "2 skipped (not for Calven" in text.stdout


def test_french_export_the_issue_could_not_open(tmp_path: Path) -> None:
    """`Adresse e-mail, Type d'absence, Date de début, Date de fin, Demi-journée, Statut` gave "no
    header row was found"; feminine and masculine, accented or not, the words are all understood."""
    path = tmp_path / "absences.csv"
    path.write_text(
        "Prénom,Nom,Adresse e-mail,Type d'absence,Date de début,Date de fin,Demi-journée,Statut\n"
        "Élodie,Bernard,elodie@example.fr,Congés payés,02/03/2031,06/03/2031,,Approuvée\n"
        "Hugo,Petit,hugo@example.fr,RTT,19/05/2031,19/05/2031,Matin,approuvé\n"
        "Inès,Roux,ines@example.fr,Congés payés,13/03/2031,14/03/2031,,En attente\n"
        "Jules,Fabre,jules@example.fr,Congés payés,13/03/2031,14/03/2031,,REFUSEE\n"
        "Léa,Morel,lea@example.fr,Congés payés,02/03/2031,06/03/2031,,Annulée\n",
        encoding="utf-8-sig",
    )
    status, report = validate(path)
    assert status == 0
    assert report["header_row"] == 1
    assert set(report["columns"]) == {
        "email",
        "timeOffType",
        "startDate",
        "endDate",
        "halfDay",
        "eventType",
    }
    rows = by_row(report)
    assert rows[2]["event"]["timeOffType"] == "Congés payés"
    assert messages(rows[3]) == [
        ("warning", "Half a day on 19 May: Calven has whole days only; sent as a whole day.")
    ]
    assert messages(rows[4]) == [("info", "Waiting for approval (En attente): not sent.")]
    assert messages(rows[5]) == [("info", "Refused (REFUSEE): not sent.")]
    assert rows[6]["event"]["eventType"] == "cancelled"
    assert report["summary"] == {"rows": 5, "valid": 2, "warning": 1, "invalid": 0, "skipped": 2}


def test_spanish_factorial_workbook_with_times(tmp_path: Path) -> None:
    """Date and time cells as Excel stores them, a date written out in Spanish, and a two-hour
    appointment (09:00 to 11:00) that is not a day away."""
    path = write_xlsx(
        tmp_path / "ausencias.xlsx",
        {
            "Ausencias": [
                [
                    "Nombre",
                    "Apellidos",
                    "Correo electrónico",
                    "Tipo de ausencia",
                    "Fecha de inicio",
                    "Fecha de fin",
                    "Hora de inicio",
                    "Hora de fin",
                    "Estado",
                ],
                [
                    "Lucía",
                    "García",
                    "lucia@example.es",
                    "Vacaciones",
                    datetime(2031, 3, 2),
                    datetime(2031, 3, 6),
                    None,
                    None,
                    "Aprobado",
                ],
                [
                    "Mateo",
                    "López",
                    "mateo@example.es",
                    "Médico",
                    datetime(2031, 5, 12),
                    datetime(2031, 5, 12),
                    time(9, 0),
                    time(11, 0),
                    "aprobada",
                ],
                [
                    "Sofía",
                    "Martín",
                    "sofia@example.es",
                    "Vacaciones",
                    datetime(2031, 3, 13),
                    datetime(2031, 3, 14),
                    None,
                    None,
                    "Pendiente",
                ],
                [
                    "Pablo",
                    "Ruiz",
                    "pablo@example.es",
                    "Vacaciones",
                    datetime(2031, 3, 13),
                    datetime(2031, 3, 14),
                    None,
                    None,
                    "Rechazado",
                ],
                [
                    "Carmen",
                    "Díaz",
                    "carmen@example.es",
                    "Vacaciones",
                    datetime(2031, 3, 2),
                    datetime(2031, 3, 6),
                    None,
                    None,
                    "Cancelada",
                ],
                [
                    "Diego",
                    "Sanz",
                    "diego@example.es",
                    "Vacaciones",
                    "2 de marzo de 2031",
                    "lunes, 3 de marzo de 2031",
                    time(0, 0),
                    time(0, 0),
                    "aprobado",
                ],
                [
                    "Elena",
                    "Gil",
                    "elena@example.es",
                    "Asuntos propios",
                    datetime(2031, 5, 13),
                    datetime(2031, 5, 13),
                    time(8, 0),
                    time(12, 0),
                    "aprobado",
                ],
            ]
        },
    )
    status, report = validate(path)
    assert status == 0
    assert report["columns"]["startTime"] == "Hora de inicio"
    assert report["columns"]["endTime"] == "Hora de fin"
    rows = by_row(report)
    assert rows[2]["status"] == "valid"
    assert messages(rows[3]) == [
        (
            "info",
            "Away from 09:00 to 11:00 on 12 May, less than half a day: not sent "
            "(Calven has whole days only).",
        )
    ]
    assert rows[3]["status"] == "skipped" and rows[3]["event"] is None
    assert messages(rows[4]) == [("info", "Waiting for approval (Pendiente): not sent.")]
    assert messages(rows[5]) == [("info", "Refused (Rechazado): not sent.")]
    assert rows[6]["event"]["eventType"] == "cancelled"
    # Midnight to midnight is the whole day; the dates written out in words are read.
    assert rows[7]["status"] == "valid"
    assert (rows[7]["event"]["startDate"], rows[7]["event"]["endDate"]) == (
        "2031-03-02",
        "2031-03-03",
    )
    assert messages(rows[8]) == [
        ("warning", "Half a day on 13 May: Calven has whole days only; sent as a whole day.")
    ]
    assert report["summary"] == {"rows": 7, "valid": 3, "warning": 1, "invalid": 0, "skipped": 3}


def test_dutch_export_with_hours(tmp_path: Path) -> None:
    """Dates 02-03-2031, a part of the day (Dagdeel: ochtend), and hours: 4 is half a day, 2 is
    an absence shorter than half a day."""
    path = tmp_path / "verlof.csv"
    path.write_text(
        "Naam;E-mailadres;Verloftype;Startdatum;Einddatum;Dagdeel;Aantal uren;Status\n"
        "Daan de Vries;daan@example.nl;Vakantie;02-03-2031;06-03-2031;;40;Goedgekeurd\n"
        "Emma Bakker;emma@example.nl;Vakantie;13-03-2031;14-03-2031;;16;In afwachting\n"
        "Sem Visser;sem@example.nl;Vakantie;13-03-2031;14-03-2031;;16;Afgewezen\n"
        "Julia Smit;julia@example.nl;Vakantie;02-03-2031;06-03-2031;;40;geannuleerd\n"
        "Lucas Mulder;lucas@example.nl;Bijzonder verlof;19-05-2031;19-05-2031;ochtend;4;goedgekeurd\n"
        "Tess Bos;tess@example.nl;Doktersbezoek;20-05-2031;20-05-2031;;2 uur;goedgekeurd\n",
        encoding="utf-8",
    )
    status, report = validate(path)
    assert status == 0
    assert report["columns"]["halfDay"] == "Dagdeel" and report["columns"]["hours"] == "Aantal uren"
    rows = by_row(report)
    assert rows[2]["status"] == "valid" and rows[2]["event"]["startDate"] == "2031-03-02"
    assert messages(rows[3]) == [("info", "Waiting for approval (In afwachting): not sent.")]
    assert messages(rows[4]) == [("info", "Refused (Afgewezen): not sent.")]
    assert rows[5]["event"]["eventType"] == "cancelled"
    assert messages(rows[6]) == [
        ("warning", "Half a day on 19 May: Calven has whole days only; sent as a whole day.")
    ]
    assert messages(rows[7]) == [
        (
            "info",
            "2 hours on 20 May, less than half a day: not sent (Calven has whole days only).",
        )
    ]
    assert report["summary"] == {"rows": 6, "valid": 2, "warning": 1, "invalid": 0, "skipped": 3}
    # A team that wants every absence in Calven sends the short one as a whole day.
    status, report = validate(path, "--send-short-absences")
    assert status == 0 and report["summary"]["skipped"] == 2
    assert messages(by_row(report)[7]) == [
        (
            "warning",
            "2 hours on 20 May: Calven has whole days only; sent as a whole day, as the setting "
            "for short absences asks.",
        )
    ]


def test_italian_open_document_export(tmp_path: Path) -> None:
    """An .ods from LibreOffice: date cells, `Mezza giornata: Pomeriggio`, the four statuses."""
    path = write_ods(
        tmp_path / "assenze.ods",
        [
            [
                "Nome",
                "Cognome",
                "Email",
                "Tipo di assenza",
                "Data inizio",
                "Data fine",
                "Mezza giornata",
                "Stato",
            ],
            [
                "Giulia",
                "Rossi",
                "giulia@example.it",
                "Ferie",
                date(2031, 3, 2),
                date(2031, 3, 6),
                "No",
                "Approvato",
            ],
            [
                "Marco",
                "Bianchi",
                "marco@example.it",
                "Permesso",
                date(2031, 5, 19),
                date(2031, 5, 19),
                "Pomeriggio",
                "approvata",
            ],
            [
                "Sara",
                "Greco",
                "sara@example.it",
                "Ferie",
                date(2031, 3, 13),
                date(2031, 3, 14),
                "",
                "In attesa",
            ],
            [
                "Luca",
                "Conti",
                "luca@example.it",
                "Ferie",
                date(2031, 3, 13),
                date(2031, 3, 14),
                "",
                "Rifiutato",
            ],
            [
                "Anna",
                "Costa",
                "anna@example.it",
                "Ferie",
                date(2031, 3, 2),
                date(2031, 3, 6),
                "",
                "Annullato",
            ],
        ],
    )
    status, report = validate(path)
    assert status == 0
    rows = by_row(report)
    assert rows[2]["status"] == "valid" and rows[2]["event"]["timeOffType"] == "Ferie"
    assert messages(rows[3]) == [
        ("warning", "Half a day on 19 May: Calven has whole days only; sent as a whole day.")
    ]
    assert messages(rows[4]) == [("info", "Waiting for approval (In attesa): not sent.")]
    assert messages(rows[5]) == [("info", "Refused (Rifiutato): not sent.")]
    assert rows[6]["event"]["eventType"] == "cancelled"
    assert report["summary"] == {"rows": 5, "valid": 2, "warning": 1, "invalid": 0, "skipped": 2}


def test_english_bamboohr_export_with_amounts(tmp_path: Path) -> None:
    """BambooHR's words (Requested, Denied, Canceled) and its Amount column: `0.5 days` was sent as
    a whole day without a word, and `2 hours` as a day away."""
    path = write_xlsx(
        tmp_path / "time-off.xlsx",
        {
            "Time Off": [
                ["Employee", "Email", "Time Off Type", "Start", "End", "Amount", "Status"],
                [
                    "Ava Hill",
                    "ava@example.com",
                    "Vacation",
                    date(2031, 3, 2),
                    date(2031, 3, 6),
                    "5 days",
                    "Approved",
                ],
                [
                    "Ben Cole",
                    "ben@example.com",
                    "Vacation",
                    date(2031, 5, 19),
                    date(2031, 5, 19),
                    "0.5 days",
                    "Approved",
                ],
                [
                    "Cal Reed",
                    "cal@example.com",
                    "Vacation",
                    date(2031, 3, 13),
                    date(2031, 3, 14),
                    "2 days",
                    "Requested",
                ],
                [
                    "Dee Ward",
                    "dee@example.com",
                    "Vacation",
                    date(2031, 3, 13),
                    date(2031, 3, 14),
                    "2 days",
                    "Denied",
                ],
                [
                    "Eli Ford",
                    "eli@example.com",
                    "Vacation",
                    date(2031, 3, 2),
                    date(2031, 3, 6),
                    "5 days",
                    "Canceled",
                ],
                [
                    "Fay Lane",
                    "fay@example.com",
                    "Doctor",
                    date(2031, 5, 20),
                    date(2031, 5, 20),
                    "2 hours",
                    "Approved",
                ],
                [
                    "Gus Shaw",
                    "gus@example.com",
                    "Sick",
                    date(2031, 5, 21),
                    date(2031, 5, 21),
                    "8 hours",
                    "Approved",
                ],
                [
                    "Hal Webb",
                    "hal@example.com",
                    "Vacation",
                    date(2031, 3, 9),
                    date(2031, 3, 11),
                    "2.5 days",
                    "Approved",
                ],
            ]
        },
    )
    status, report = validate(path)
    assert status == 0
    assert report["columns"]["days"] == "Amount"
    rows = by_row(report)
    assert rows[2]["status"] == "valid"
    assert messages(rows[3]) == [
        ("warning", "Half a day on 19 May: Calven has whole days only; sent as a whole day.")
    ]
    assert messages(rows[4]) == [("info", "Waiting for approval (Requested): not sent.")]
    assert messages(rows[5]) == [("info", "Refused (Denied): not sent.")]
    assert rows[6]["status"] == "valid" and rows[6]["event"]["eventType"] == "cancelled"
    assert messages(rows[7]) == [
        (
            "info",
            "2 hours on 20 May, less than half a day: not sent (Calven has whole days only).",
        )
    ]
    assert rows[8]["status"] == "valid"
    assert messages(rows[9]) == [
        (
            "warning",
            "2.5 days between 9 March and 11 March: Calven has whole days only; every day is "
            "sent as a whole day.",
        )
    ]


def test_english_hibob_export_with_times_and_half_days(tmp_path: Path) -> None:
    """Start time/End time and Half day first day/last day columns: the 14:00-16:00 doctor's
    appointment was sent as a day away; `pending` was an error; `rejected` a cancellation."""
    path = tmp_path / "hibob.csv"
    path.write_text(
        "Employee Display Name,Email,Policy Type,Start Date,End Date,Start time,End time,"
        "Half day first day,Half day last day,Status,Request ID\n"
        "Ivy Moss,ivy@example.com,Doctor,20/05/2031,20/05/2031,14:00,16:00,,,approved,R1\n"
        "Jon Park,jon@example.com,Holiday,13/05/2031,16/05/2031,,,TRUE,FALSE,approved,R2\n"
        "Kim Lowe,kim@example.com,Holiday,13/05/2031,16/05/2031,,,,,pending,R3\n"
        "Lou Hart,lou@example.com,Holiday,13/05/2031,16/05/2031,,,,,rejected,R4\n"
        "Max Dean,max@example.com,Holiday,21/05/2031,21/05/2031,9:00 AM,5:00 PM,,,approved,R5\n"
        "Nia Rowe,nia@example.com,Holiday,22/05/2031,22/05/2031,14:00,10:00,,,approved,R6\n",
        encoding="utf-8",
    )
    status, report = validate(path)
    rows = by_row(report)
    assert messages(rows[2]) == [
        (
            "info",
            "Away from 14:00 to 16:00 on 20 May, less than half a day: not sent "
            "(Calven has whole days only).",
        )
    ]
    assert messages(rows[3]) == [
        (
            "warning",
            "Half a day on 13 May, the first day: Calven has whole days only; sent as a whole day.",
        )
    ]
    assert rows[4]["status"] == "skipped" and rows[5]["status"] == "skipped"
    assert messages(rows[5]) == [("info", "Refused (rejected): not sent.")]
    assert rows[6]["status"] == "valid"  # 9 to 5 covers the working day
    # Times that contradict each other need fixing: the row's length cannot be told.
    assert rows[7]["status"] == "invalid"
    assert messages(rows[7]) == [
        (
            "error",
            "The end time (10:00) is not after the start time (14:00) on 22 May; check the times.",
        )
    ]
    assert status == 1
    assert report["summary"] == {"rows": 6, "valid": 1, "warning": 1, "invalid": 1, "skipped": 3}


def test_templates_in_every_language_read_back_as_valid(tmp_path: Path) -> None:
    for language in ("en", "de", "fr", "es", "nl", "it"):
        for suffix in (".csv", ".xlsx"):
            path = tmp_path / f"template-{language}{suffix}"
            made = calven_desk("template", path, "--language", language)
            assert made.returncode == 0, made.stderr
            status, report = validate(path)
            assert status == 0, (language, suffix, report)
            assert report["summary"] == {
                "rows": 1,
                "valid": 1,
                "warning": 0,
                "invalid": 0,
                "skipped": 0,
            }, (language, suffix)
            event = report["rows"][0]["event"]
            assert (event["eventType"], event["startDate"], event["endDate"]) == (
                "scheduled",
                "2030-03-16",
                "2030-03-20",
            )
            assert set(report["columns"]) == {
                "email",
                "eventType",
                "startDate",
                "endDate",
                "timeOffType",
                "eventId",
            }
    german = (tmp_path / "template-de.csv").read_text(encoding="utf-8-sig").splitlines()
    assert german[0] == "E-Mail;Status;Startdatum;Enddatum;Abwesenheitstyp;Antrags-ID"
    refused = calven_desk("template", tmp_path / "x.csv", "--language", "pt")
    assert refused.returncode == 2 and "invalid choice" in refused.stderr


def test_the_windows_setting_for_short_absences_holds_for_the_command_line(tmp_path: Path) -> None:
    """A team that ticked "send short absences as whole days" in Settings gets the same from its
    scheduled job on that computer (the command line reads the settings, as for the date order)."""
    from calven_desk.store.settings import Settings, save_settings

    path = tmp_path / "short.csv"
    path.write_text(
        "Email,Start,End,Hours\na@example.com,2031-05-20,2031-05-20,2\n", encoding="utf-8"
    )
    assert validate(path)[1]["summary"]["skipped"] == 1
    save_settings(Settings(send_short_absences=True))  # the test's own CALVEN_DESK_HOME
    status, report = validate(path)
    assert status == 0 and report["summary"]["skipped"] == 0 and report["summary"]["warning"] == 1
