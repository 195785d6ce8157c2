"""One submit run from roster to journal: the single code path behind `calven-desk submit` and the window.

CONTRACT (implementation in progress by the lead; signatures are fixed):

    plan_run(check: RosterCheck, rows: Collection[int] | None = None, *, only_valid: bool = False)
        -> RunPlan
        Select rows by sheet row number (None = all). Invalid rows become SKIPPED outcomes with their
        first error as the message; warning rows are sent unless only_valid.

    execute_run(plan: RunPlan, connection: Connection, *, settings: RunSettings,
                journal: Journal | None, source: str, sheet: str | None,
                progress: Callable[[Progress], None] | None = None,
                cancel: threading.Event | None = None) -> RunReport
        Journals every batch before it is sent and every answer as it arrives. Never raises for
        Calven/network trouble: a run that cannot go on (auth refused, wrong key role, host down)
        ends with `report.fatal` set to a plain sentence and the unsent rows NOT_SENT.

    resume_run(run_id: int, connection: Connection, *, settings: RunSettings, journal: Journal,
               progress=None, cancel=None) -> RunReport
        Re-sends only the rows of an interrupted run that have no answer.
"""
