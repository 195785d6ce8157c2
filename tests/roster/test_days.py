"""Whole-day arithmetic: what a booking keeps once Calven accepts a cancellation of some of its days."""

from __future__ import annotations

from datetime import date

from calven_desk.roster.days import DayRange, after_cancellation, normalise, subtract


def d(text: str) -> date:
    return date.fromisoformat(text)


def span(first: str, last: str) -> DayRange:
    return (d(first), d(last))


def test_a_cancellation_shrinks_splits_and_ends_bookings_and_leaves_the_rest_out() -> None:
    held = [
        ("start", [span("2031-04-06", "2031-04-10")]),  # loses its first two days
        ("middle", [span("2031-04-01", "2031-04-20")]),  # split in two
        ("whole", [span("2031-04-07", "2031-04-08")]),  # gone
        ("elsewhere", [span("2031-05-01", "2031-05-02")]),  # not touched: not listed
    ]
    assert after_cancellation(held, span("2031-04-06", "2031-04-08")) == [
        ("start", [span("2031-04-09", "2031-04-10")]),
        ("middle", [span("2031-04-01", "2031-04-05"), span("2031-04-09", "2031-04-20")]),
        ("whole", []),
    ]


def test_a_booking_written_in_pieces_is_compared_as_its_days() -> None:
    """Two touching ranges are the same days as one: a cancellation elsewhere changes nothing."""
    held = [("A", [span("2031-04-01", "2031-04-02"), span("2031-04-03", "2031-04-04")])]
    assert after_cancellation(held, span("2031-06-01", "2031-06-01")) == []
    assert normalise(held[0][1]) == [span("2031-04-01", "2031-04-04")]
    assert subtract(held[0][1], [span("2031-04-02", "2031-04-03")]) == [
        span("2031-04-01", "2031-04-01"),
        span("2031-04-04", "2031-04-04"),
    ]
