"""The Timeline's layout: lanes, bars, overlaps and the count of people away, without a screen."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from calven_desk.roster.timeline import MAX_TRACKS, TimelineRow, lay_out

MONDAY = date(2030, 3, 4)


def row(
    number: int,
    person: str,
    first: int,
    last: int,
    *,
    cancelled: bool = False,
    name: str = "",
    event_id: str = "",
) -> TimelineRow:
    """A row from `first` to `last` days after Monday 4 March 2030."""
    return TimelineRow(
        row=number,
        person=person,
        start=MONDAY + timedelta(days=first),
        end=MONDAY + timedelta(days=last),
        cancelled=cancelled,
        word="Ready",
        colour="ready",
        name=name,
        event_id=event_id or f"ID-{number}",
    )


def test_people_away_per_day_on_a_hand_made_roster() -> None:
    rows = [
        row(2, "ana@x.com", 0, 2),  # Mon-Wed
        row(3, "ana@x.com", 1, 3),  # Tue-Thu: overlaps row 2; Ana still counts once a day
        row(4, "ben@x.com", 1, 1, cancelled=True),  # a cancellation never counts
        row(5, "cy@x.com", 2, 2, event_id="E5"),  # taken back by row 6 (same person and ID)
        row(6, "cy@x.com", 2, 2, cancelled=True, event_id="E5"),
        row(7, "dee@x.com", 3, 4),  # Thu-Fri
        row(8, "eve@x.com", 2, 2, event_id="E5"),  # same ID, another person: counts
    ]
    layout = lay_out(rows)
    assert layout.origin == MONDAY
    assert layout.days == 7
    assert layout.away == [1, 1, 2, 2, 1, 0, 0]
    assert layout.by_row[5].cancelled_by == 6
    assert layout.by_row[8].cancelled_by is None


def test_rows_not_for_calven_are_drawn_but_count_nobody_away() -> None:
    """Issue 24: a pending request, or a refused one under the same event ID as a booking, is
    shown (faded) but neither counts as away, overlaps nor takes the booking back."""
    pending = row(3, "ana@x.com", 1, 2)
    pending.skipped = True
    refused = row(4, "ben@x.com", 0, 0, event_id="B1")
    refused.skipped = True
    rows = [row(2, "ana@x.com", 0, 0), pending, row(5, "ben@x.com", 0, 0, event_id="B1"), refused]
    layout = lay_out(rows)
    assert layout.away[:3] == [2, 0, 0]
    assert set(layout.by_row) == {2, 3, 4, 5}
    assert layout.by_row[5].cancelled_by is None
    assert not any(bar.overlaps for bar in layout.by_row.values())


def test_lanes_one_per_person_sorted_by_name_with_the_address_when_no_name() -> None:
    rows = [
        row(2, "zoe@x.com", 0, 0, name="Zoë Brontë"),
        row(3, "u-17", 1, 1),
        row(4, "ana@x.com", 2, 2, name="ana Lima"),
        row(5, "zoe@x.com", 4, 4),
    ]
    layout = lay_out(rows)
    assert [lane.name for lane in layout.lanes] == ["ana Lima", "u-17", "Zoë Brontë"]
    assert [b.source.row for b in layout.lanes[2].bars] == [2, 5]
    assert layout.by_row[5].lane == 2


def test_bars_count_days_from_the_monday_before_the_first_leave() -> None:
    layout = lay_out([row(2, "a@x.com", 2, 9), row(3, "b@x.com", 16, 16)])
    assert (layout.by_row[2].first, layout.by_row[2].last) == (2, 9)
    assert layout.day(layout.days - 1) == date(2030, 3, 24)  # the Sunday after the last leave
    assert layout.offset(date(2030, 3, 20)) == 16


def test_overlapping_bookings_are_marked_and_stacked() -> None:
    rows = [
        row(2, "a@x.com", 0, 9),
        row(3, "a@x.com", 1, 2),
        row(4, "a@x.com", 4, 5),
        row(5, "a@x.com", 12, 13),  # alone
        row(6, "a@x.com", 12, 13, cancelled=True),  # a cancellation is no booking
    ]
    layout = lay_out(rows)
    marked = {n: layout.by_row[n].overlaps for n in (2, 3, 4, 5, 6)}
    assert marked == {2: True, 3: True, 4: True, 5: False, 6: False}
    assert layout.by_row[2].track != layout.by_row[3].track
    assert layout.lanes[0].tracks == 2
    assert layout.tracks == 2


def test_only_visible_rows_are_laid_out_and_empty_lanes_go() -> None:
    rows = [row(2, "a@x.com", 0, 1), row(3, "b@x.com", 0, 1), row(4, "b@x.com", 3, 3)]
    layout = lay_out(rows, visible={2, 4})
    assert sorted(layout.by_row) == [2, 4]
    assert [lane.person for lane in layout.lanes] == ["a@x.com", "b@x.com"]
    layout = lay_out(rows, visible={3})
    assert [lane.person for lane in layout.lanes] == ["b@x.com"]
    assert layout.away[:2] == [1, 1]


def test_a_fixed_range_keeps_only_leave_inside_it() -> None:
    rows = [row(2, "a@x.com", 0, 3), row(3, "b@x.com", 10, 12), row(4, "c@x.com", 20, 20)]
    layout = lay_out(rows, first=MONDAY + timedelta(days=2), last=MONDAY + timedelta(days=11))
    assert sorted(layout.by_row) == [2, 3]
    assert layout.days == 10
    assert layout.by_row[2].first == -2
    assert layout.away == [1, 1, 0, 0, 0, 0, 0, 0, 1, 1]


def test_an_empty_roster_lays_out_to_nothing() -> None:
    layout = lay_out([])
    assert layout.lanes == [] and layout.tracks == 0 and not any(layout.away)
    assert layout.lane_at_track(0) == -1


def test_bars_between_finds_long_bars_that_started_before() -> None:
    layout = lay_out(
        [row(2, "a@x.com", 0, 30), row(3, "a@x.com", 31, 31), row(4, "a@x.com", 40, 41)]
    )
    lane = layout.lanes[0]
    assert [b.source.row for b in lane.bars_between(20, 35)] == [2, 3]
    assert [b.source.row for b in lane.bars_between(32, 39)] == []


def test_lane_at_track_follows_lane_heights() -> None:
    rows = [row(2, "a@x.com", 0, 2), row(3, "a@x.com", 1, 3), row(4, "b@x.com", 0, 0)]
    layout = lay_out(rows)
    assert [layout.lane_at_track(t) for t in range(4)] == [0, 0, 1, -1]


def test_many_overlapping_bookings_share_the_last_track() -> None:
    layout = lay_out([row(n, "a@x.com", 0, 5) for n in range(2, 30)])
    assert layout.lanes[0].tracks == MAX_TRACKS
    assert all(b.overlaps for b in layout.lanes[0].bars)


spans = st.lists(
    st.tuples(
        st.sampled_from(["a", "b", "c"]),
        st.integers(0, 20),
        st.integers(0, 6),
        st.booleans(),
    ),
    max_size=25,
)


@settings(max_examples=200, deadline=None)
@given(spans)
def test_overlaps_and_counts_match_a_day_by_day_recount(
    items: list[tuple[str, int, int, bool]],
) -> None:
    rows = [
        row(n, who, first, first + length, cancelled=cancelled)
        for n, (who, first, length, cancelled) in enumerate(items, start=2)
    ]
    layout = lay_out(rows)
    booked = [r for r in rows if not r.cancelled]
    for r in booked:
        others = [
            o
            for o in booked
            if o.row != r.row and o.person == r.person and o.start <= r.end and r.start <= o.end
        ]
        assert layout.by_row[r.row].overlaps == bool(others)
    for offset in range(layout.days):
        day = layout.day(offset)
        away = {r.person for r in booked if r.start <= day <= r.end}
        assert layout.away[offset] == len(away)


def test_ghosts_are_drawn_but_count_nowhere_and_go_under_a_filter() -> None:
    ghost = TimelineRow(
        -1,
        "a@x.com",
        MONDAY,
        MONDAY + timedelta(days=2),
        False,
        "No longer in the roster",
        "not_sent",
        ghost=True,
    )
    rows = [row(2, "a@x.com", 1, 1), ghost]
    layout = lay_out(rows)
    assert layout.away[:3] == [0, 1, 0]
    assert not layout.by_row[2].overlaps and not layout.by_row[-1].overlaps
    assert layout.by_row[-1].track != layout.by_row[2].track  # drawn beside, not over, the row
    assert sorted(lay_out(rows, visible={2}).by_row) == [2]


def test_a_lane_with_no_person_and_no_name_says_so_in_plain_words() -> None:
    """A row that needs fixing for want of an email keeps its lane, named in the window's words
    ("Calven user ID", never "uid")."""
    layout = lay_out([row(4, "", 0, 1), row(5, "", 2, 2, name="Ana Lima")])
    assert [lane.name for lane in layout.lanes] == ["Ana Lima"]
    layout = lay_out([row(4, "", 0, 1)])
    assert [lane.name for lane in layout.lanes] == ["(no email or Calven user ID)"]
