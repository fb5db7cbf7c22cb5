"""Xero's /Date(ms±hhmm)/ and ISO dates: one parser for every caller."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from xero_bridge.xero.dates import (
    parse_xero_date,
    parse_xero_datetime,
    parse_xero_time_ms,
    xero_epoch_ms,
)

# 2019-02-21T23:59:09.320Z: late enough in the UTC day that a zone shift would change the day.
MS = 1550793549320
INSTANT = datetime(2019, 2, 21, 23, 59, 9, 320000, tzinfo=UTC)


@pytest.mark.parametrize("offset", ["", "+0000", "+1300", "-0800"])
def test_the_offset_only_says_how_to_show_the_instant(offset):
    text = f"/Date({MS}{offset})/"
    assert xero_epoch_ms(text) == MS
    assert parse_xero_time_ms(text) == MS
    assert parse_xero_datetime(text) == INSTANT
    assert parse_xero_date(text) == date(2019, 2, 21)  # the UTC day, whatever the offset


@pytest.mark.parametrize(
    ("text", "instant"),
    [
        ("/Date(-1)/", datetime(1969, 12, 31, 23, 59, 59, 999000, tzinfo=UTC)),
        ("/Date(-86400000+0000)/", datetime(1969, 12, 31, tzinfo=UTC)),
        ("/Date(-2208988800000+1300)/", datetime(1900, 1, 1, tzinfo=UTC)),
        ("/Date(0)/", datetime(1970, 1, 1, tzinfo=UTC)),
    ],
)
def test_epochs_before_1970_are_negative(text, instant):
    assert parse_xero_datetime(text) == instant
    assert parse_xero_time_ms(text) == xero_epoch_ms(text)
    assert parse_xero_date(text) == instant.date()


def test_iso_date_times_are_utc_unless_they_name_a_zone():
    assert parse_xero_time_ms("2019-02-22T00:59:09.320") == 1550797149320
    assert parse_xero_time_ms("2019-02-22T00:59:09.320Z") == 1550797149320
    assert parse_xero_time_ms("2019-02-22T13:59:09.320+13:00") == 1550797149320
    aware = parse_xero_datetime("2019-02-22T13:59:09+13:00")
    assert aware == datetime(2019, 2, 22, 0, 59, 9, tzinfo=UTC)
    assert aware is not None and aware.utcoffset() == timedelta(hours=13)


def test_an_iso_text_keeps_the_day_as_written():
    assert parse_xero_date("2019-02-22T23:30:00+13:00") == date(2019, 2, 22)
    assert parse_xero_date("2019-02-22") == date(2019, 2, 22)


def test_dates_and_datetimes_given_as_objects_are_their_day():
    assert parse_xero_date(date(2024, 5, 1)) == date(2024, 5, 1)
    later = datetime(2024, 5, 1, 23, 0, tzinfo=timezone(timedelta(hours=13)))
    assert parse_xero_date(later) == date(2024, 5, 1)


@pytest.mark.parametrize(
    "value",
    [None, "", "garbage", "/Date()/", "/Date(12a)/", "x/Date(1550793549320)/", "/Date(1)/ ", 5],
)
def test_what_is_no_date_is_none(value):
    assert parse_xero_time_ms(value) is None
    assert parse_xero_datetime(value) is None
    assert parse_xero_date(value) is None


def test_xero_dates_parse_to_epoch_ms():
    assert parse_xero_time_ms("/Date(1550793549320+0000)/") == 1550793549320
    assert parse_xero_time_ms("/Date(1550793549320)/") == 1550793549320
    assert parse_xero_time_ms("2019-02-22T00:59:09.320") == 1550797149320
    assert parse_xero_time_ms("2019-02-22T00:59:09.320Z") == 1550797149320
    assert parse_xero_time_ms("garbage") is None
