//! Instants, calendar days and spans of time, all in UTC.
//!
//! The record keeps instants to the second and days as `YYYY-MM-DD`. A validity's `until` is a
//! day *inclusive*: a commitment valid until 2034-01-11 is in force for the whole of that day and
//! lapses at 2034-01-12T00:00:00Z. Terms in years count calendar years: ten years from 2024-01-12
//! run through 2034-01-11.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::format_description::well_known::Rfc3339;
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

/// Text that is not a date, an instant or a span in one of the accepted forms.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    /// Not an RFC 3339 instant or a `YYYY-MM-DD` day.
    #[error(
        "expected an RFC 3339 time such as 2026-01-06T14:00:00Z or a day such as 2026-01-06, found {0:?}"
    )]
    Instant(String),
    /// Not a `YYYY-MM-DD` day.
    #[error("expected a day such as 2026-01-06, found {0:?}")]
    Day(String),
    /// Not a span such as `24h` or `30d`.
    #[error("expected a span of time such as 24h, 30d or 2w, found {0:?}")]
    Span(String),
    /// A date outside the calendar the record supports.
    #[error("date out of range: {0}")]
    OutOfRange(String),
}

/// An instant in UTC, to the second.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(i64);

/// The earliest time the record accepts: 1945-01-01T00:00:00Z, the year of the UN Charter. No
/// instrument a coalition of today stands on is older; a date before it is a typing mistake.
pub const EARLIEST: Timestamp = Timestamp::from_unix(-788_918_400);

impl Timestamp {
    /// The instant `seconds` after 1970-01-01T00:00:00Z.
    pub const fn from_unix(seconds: i64) -> Timestamp {
        Timestamp(seconds)
    }

    /// Seconds since 1970-01-01T00:00:00Z.
    pub fn unix(self) -> i64 {
        self.0
    }

    /// Truncates a `time` value to the second, in UTC.
    pub fn from_datetime(value: OffsetDateTime) -> Timestamp {
        Timestamp(value.unix_timestamp())
    }

    /// Parses RFC 3339 (`2026-01-06T14:00:00Z`, any offset) or a bare day (midnight UTC).
    pub fn parse(text: &str) -> Result<Timestamp, DateError> {
        let trimmed = text.trim();
        if let Ok(value) = OffsetDateTime::parse(trimmed, &Rfc3339) {
            return Ok(Timestamp::from_datetime(value));
        }
        match Day::parse(trimmed) {
            Ok(day) => Ok(day.start()),
            Err(_) => Err(DateError::Instant(text.to_owned())),
        }
    }

    /// This instant plus a span.
    pub fn plus(self, span: Span) -> Timestamp {
        Timestamp(self.0.saturating_add_unsigned(span.seconds()))
    }

    /// The calendar day (UTC) this instant falls on.
    pub fn day(self) -> Day {
        Day(self.datetime().date())
    }

    fn datetime(self) -> OffsetDateTime {
        // Every i64 we create comes from a valid date; clamp defensively instead of panicking.
        OffsetDateTime::from_unix_timestamp(self.0).unwrap_or(OffsetDateTime::UNIX_EPOCH)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let value = self.datetime();
        write!(
            f,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            value.year(),
            u8::from(value.month()),
            value.day(),
            value.hour(),
            value.minute(),
            value.second()
        )
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self}")
    }
}

impl FromStr for Timestamp {
    type Err = DateError;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Timestamp::parse(text)
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Timestamp::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// A calendar day in UTC.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(Date);

impl Day {
    /// The day with this year, month (1–12) and day of month.
    pub fn from_ymd(year: i32, month: u8, day: u8) -> Result<Day, DateError> {
        let month = Month::try_from(month)
            .map_err(|_| DateError::OutOfRange(format!("{year}-{month}-{day}")))?;
        Date::from_calendar_date(year, month, day)
            .map(Day)
            .map_err(|_| DateError::OutOfRange(format!("{year}-{month}-{day}")))
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Result<Day, DateError> {
        let err = || DateError::Day(text.to_owned());
        let mut parts = text.trim().splitn(3, '-');
        let (Some(y), Some(m), Some(d)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(err());
        };
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return Err(err());
        }
        let year: i32 = y.parse().map_err(|_| err())?;
        let month: u8 = m.parse().map_err(|_| err())?;
        let day: u8 = d.parse().map_err(|_| err())?;
        Day::from_ymd(year, month, day).map_err(|_| err())
    }

    /// The first instant of the day (00:00:00Z).
    pub fn start(self) -> Timestamp {
        Timestamp::from_datetime(
            PrimitiveDateTime::new(self.0, Time::MIDNIGHT).assume_offset(UtcOffset::UTC),
        )
    }

    /// The first instant after the day: where an inclusive `until` stops.
    pub fn end(self) -> Timestamp {
        match self.0.next_day() {
            Some(next) => Day(next).start(),
            None => Timestamp(i64::MAX),
        }
    }

    /// The last day of a term of `years` calendar years that starts on this day.
    ///
    /// Ten years from 2024-01-12 run through 2034-01-11. A term starting on 29 February ends on
    /// 28 February of the final year.
    pub fn last_day_of_term(self, years: u16) -> Day {
        let year = self.0.year() + i32::from(years);
        let anniversary = Date::from_calendar_date(year, self.0.month(), self.0.day())
            .or_else(|_| Date::from_calendar_date(year, Month::March, 1))
            .unwrap_or(self.0);
        Day(anniversary.previous_day().unwrap_or(anniversary))
    }

    /// The year.
    pub fn year(self) -> i32 {
        self.0.year()
    }

    /// The same day and month `years` later (28 February for 29 February in a common year).
    pub fn plus_years(self, years: u16) -> Day {
        let year = self.0.year() + i32::from(years);
        Date::from_calendar_date(year, self.0.month(), self.0.day())
            .or_else(|_| Date::from_calendar_date(year, self.0.month(), 28))
            .map(Day)
            .unwrap_or(self)
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}",
            self.0.year(),
            u8::from(self.0.month()),
            self.0.day()
        )
    }
}

impl fmt::Debug for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self}")
    }
}

impl FromStr for Day {
    type Err = DateError;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Day::parse(text)
    }
}

impl Serialize for Day {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Day {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Day::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// A length of time in whole seconds, such as a response time of 24 hours.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Span(u64);

impl Span {
    /// A span of whole hours.
    pub const fn hours(hours: u64) -> Span {
        Span(hours.saturating_mul(3600))
    }

    /// A span of whole days.
    pub fn days(days: u64) -> Span {
        Span(days.saturating_mul(86_400))
    }

    /// The length in seconds.
    pub fn seconds(self) -> u64 {
        self.0
    }

    /// Parses a span such as `24h`, `30d`, `2w` or `1h 30m` (humantime's syntax), to the second.
    pub fn parse(text: &str) -> Result<Span, DateError> {
        let parsed =
            humantime::parse_duration(text.trim()).map_err(|_| DateError::Span(text.to_owned()))?;
        if parsed.subsec_nanos() != 0 {
            return Err(DateError::Span(text.to_owned()));
        }
        Ok(Span(parsed.as_secs()))
    }
}

impl FromStr for Span {
    type Err = DateError;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Span::parse(text)
    }
}

impl fmt::Display for Span {
    /// Hours under four days (`24h`, `72h`), whole days from four days on (`7d`, `30d`),
    /// otherwise minutes or seconds: the way response times are written in the agreements.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.0;
        if s >= 4 * 86_400 && s.is_multiple_of(86_400) {
            write!(f, "{}d", s / 86_400)
        } else if s > 0 && s.is_multiple_of(3600) {
            write!(f, "{}h", s / 3600)
        } else if s > 0 && s.is_multiple_of(60) {
            write!(f, "{}m", s / 60)
        } else {
            write!(f, "{s}s")
        }
    }
}

impl fmt::Debug for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> Day {
        Day::parse(text).unwrap()
    }

    #[test]
    fn ten_years_from_12_january_2024_run_through_11_january_2034() {
        assert_eq!(day("2024-01-12").last_day_of_term(10), day("2034-01-11"));
        assert_eq!(day("2024-02-29").last_day_of_term(1), day("2025-02-28"));
    }

    #[test]
    fn an_inclusive_until_ends_at_the_next_midnight() {
        let until = day("2034-01-11");
        assert_eq!(
            until.end(),
            Timestamp::parse("2034-01-12T00:00:00Z").unwrap()
        );
    }

    #[test]
    fn instants_parse_from_rfc3339_or_a_day_and_print_in_utc() {
        let t = Timestamp::parse("2026-01-06T15:30:00+01:00").unwrap();
        assert_eq!(t.to_string(), "2026-01-06T14:30:00Z");
        assert_eq!(
            Timestamp::parse("2026-01-06").unwrap().to_string(),
            "2026-01-06T00:00:00Z"
        );
        assert!(Timestamp::parse("6 January").is_err());
        assert!(Timestamp::parse("2026-13-01").is_err());
    }

    #[test]
    fn spans_parse_and_print_in_their_largest_unit() {
        assert_eq!(Span::parse("24h").unwrap(), Span::hours(24));
        assert_eq!(Span::parse("30d").unwrap().to_string(), "30d");
        assert_eq!(Span::parse("48h").unwrap().to_string(), "48h");
        assert_eq!(Span::parse("2w").unwrap().to_string(), "14d");
        assert_eq!(Span::parse("90m").unwrap().to_string(), "90m");
        assert_eq!(Span::parse("1h 30m").unwrap().to_string(), "90m");
        assert!(Span::parse("soon").is_err());
        assert!(Span::parse("24").is_err());
        assert!(Span::parse("h").is_err());
        assert!(
            Span::parse("1500ms").is_err(),
            "the record keeps whole seconds"
        );
    }

    #[test]
    fn the_earliest_time_is_the_first_instant_of_1945() {
        assert_eq!(EARLIEST.to_string(), "1945-01-01T00:00:00Z");
    }

    #[test]
    fn days_reject_loose_forms() {
        assert!(Day::parse("2026-1-6").is_err());
        assert!(Day::parse("2026-02-30").is_err());
        assert_eq!(day("2026-01-06").to_string(), "2026-01-06");
    }
}
