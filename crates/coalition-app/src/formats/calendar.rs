//! Obligations' deadlines as an iCalendar (RFC 5545) feed, the format every calendar reads.
//!
//! One `VEVENT` per open (or overdue) obligation that has a deadline, `DTSTART` at the deadline
//! (an instant: no `DTEND`), with a `VALARM` before it; an obligation without a deadline (no
//! response time, or one that runs from a request not made) is not put in a calendar. The `UID`
//! is the obligation's id under the coalition's, so a calendar that subscribes or imports again
//! updates the event instead of adding a second one. The marking is `X-COALITION-MARKING` and
//! the first words of the description, and `CLASS` is `PUBLIC` only for a PUBLIC obligation.
//!
//! Written by hand rather than with a crate: the iCalendar crate for Rust stamps every
//! component with the system clock and a random UID unless told otherwise (its `VALARM`s
//! included), and the feed must be the same bytes for the same record and time of reading. The
//! text rules are few (escaping, CRLF, folding at 75 octets), and the tests parse the output with
//! an independent parser (the `ical` crate).

use std::fmt::Write as _;

use coalition_core::dates::Timestamp;
use coalition_core::id::CoalitionId;
use coalition_core::names::Named;
use coalition_core::obligation::{Deadline, ObligationStatus};

use crate::views::ObligationView;

/// How long before a deadline the alarm rings: a quarter of the response time, at least an
/// hour and at most a day (a day when no response time is known).
fn alarm_before(view: &ObligationView) -> u64 {
    const HOUR: u64 = 3600;
    view.obligation.within.map_or(24 * HOUR, |within| {
        (within.seconds() / 4).clamp(HOUR, 24 * HOUR)
    })
}

/// The feed of the obligations the reader may read (the caller's gated view), made at `at`.
pub fn write(
    coalition: &CoalitionId,
    coalition_name: &str,
    reader: &str,
    at: Timestamp,
    obligations: &[ObligationView],
) -> String {
    let mut ics = Ics::default();
    ics.line("BEGIN", "VCALENDAR");
    ics.line("VERSION", "2.0");
    ics.line("PRODID", "-//coalition//obligations//EN");
    ics.line("CALSCALE", "GREGORIAN");
    ics.line("METHOD", "PUBLISH");
    ics.text(
        "X-WR-CALNAME",
        &format!("{coalition_name}: obligations ({reader})"),
    );
    for view in obligations {
        let Deadline::Due(due) = view.deadline else {
            continue;
        };
        if !matches!(
            view.status,
            ObligationStatus::Open | ObligationStatus::Overdue
        ) {
            continue;
        }
        let o = &view.obligation;
        let summary = format!(
            "{} {} due: {} under {}",
            o.guarantor,
            o.kind.name(),
            o.id,
            o.commitment
        );
        ics.line("BEGIN", "VEVENT");
        ics.text("UID", &format!("{}.{coalition}@coalition", o.id));
        ics.line("DTSTAMP", &utc(at));
        ics.line("DTSTART", &utc(due));
        ics.text("SUMMARY", &summary);
        ics.text(
            "DESCRIPTION",
            &format!(
                "({}) {} must {} for {} under commitment {}, opened by incident {} at {}. \
                 Status at {at}: {}.",
                o.marking,
                o.guarantor,
                o.kind.name(),
                o.protected,
                o.commitment,
                o.incident,
                o.opened_at,
                view.status.name()
            ),
        );
        ics.line(
            "CLASS",
            if o.marking.is_public() {
                "PUBLIC"
            } else {
                "CONFIDENTIAL"
            },
        );
        ics.text("X-COALITION-MARKING", &o.marking.to_string());
        ics.line("STATUS", "CONFIRMED");
        ics.line("BEGIN", "VALARM");
        ics.line("ACTION", "DISPLAY");
        ics.text("DESCRIPTION", &summary);
        ics.line("TRIGGER", &format!("-PT{}S", alarm_before(view)));
        ics.line("END", "VALARM");
        ics.line("END", "VEVENT");
    }
    ics.line("END", "VCALENDAR");
    ics.out
}

/// `20261120T120000Z`: a UTC date-time in iCalendar's basic form.
fn utc(at: Timestamp) -> String {
    at.to_string().replace(['-', ':'], "")
}

/// Content lines being written.
#[derive(Default)]
struct Ics {
    out: String,
}

impl Ics {
    /// `NAME:value` for a value that needs no escaping (a date-time, a keyword).
    fn line(&mut self, name: &str, value: &str) {
        self.fold(&format!("{name}:{value}"));
    }

    /// `NAME:text` with TEXT escaping (RFC 5545 §3.3.11): backslash, semicolon, comma and
    /// newline escaped; other control characters, which TEXT may not hold, dropped.
    fn text(&mut self, name: &str, value: &str) {
        let mut escaped = String::with_capacity(value.len());
        for c in value.chars() {
            match c {
                '\\' => escaped.push_str("\\\\"),
                ';' => escaped.push_str("\\;"),
                ',' => escaped.push_str("\\,"),
                '\n' => escaped.push_str("\\n"),
                c if c.is_control() && c != '\t' => {}
                c => escaped.push(c),
            }
        }
        self.fold(&format!("{name}:{escaped}"));
    }

    /// Writes a content line folded at 75 octets (§3.1), never inside a character, ended by
    /// CRLF.
    fn fold(&mut self, line: &str) {
        let mut width = 0;
        for c in line.chars() {
            if width + c.len_utf8() > 75 {
                self.out.push_str("\r\n ");
                // The continuation's leading space counts.
                width = 1;
            }
            self.out.push(c);
            width += c.len_utf8();
        }
        let _ = write!(self.out, "\r\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_a_character() {
        let mut ics = Ics::default();
        let text = "Zelenskyy – ".repeat(20);
        ics.text("SUMMARY", &text);
        for line in ics.out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
        }
        let unfolded = ics.out.replace("\r\n ", "");
        assert_eq!(unfolded, format!("SUMMARY:{text}\r\n"));
    }

    #[test]
    fn text_is_escaped_and_control_characters_dropped() {
        let mut ics = Ics::default();
        ics.text("SUMMARY", "a;b,c\\d\ne\u{7}f");
        assert_eq!(ics.out, "SUMMARY:a\\;b\\,c\\\\d\\nef\r\n");
    }

    #[test]
    fn times_are_written_in_utc_basic_form() {
        let at = Timestamp::parse("2026-11-20T12:00:00Z").unwrap();
        assert_eq!(utc(at), "20261120T120000Z");
    }
}
