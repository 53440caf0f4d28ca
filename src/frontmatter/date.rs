//! Date reading and writing for front matter.
//!
//! Reads RFC 3339, RFC 2822, Jekyll's `YYYY-MM-DD HH:MM:SS +0000` and the
//! naive forms `YYYY-MM-DD[ HH:MM[:SS]]` / `YYYY/MM/DD[ HH:MM[:SS]]` (naive
//! ones take a default offset). Writes RFC 3339 with a numeric offset, or the
//! Jekyll form. It must not guess: text it cannot read stays as
//! [`FmDate::Raw`] and the caller reports it.

use jiff::Timestamp;
use jiff::civil::{Date, DateTime};
use jiff::fmt::temporal::{Pieces, PiecesOffset};
use jiff::tz::{Offset, TimeZone};

/// A front-matter date: an instant with the offset it was written in, or
/// text that could not be read as a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FmDate {
    /// A date that was read.
    At {
        /// The instant.
        timestamp: Timestamp,
        /// The UTC offset it was written with (UTC for `GMT`/`Z`/naive forms by default).
        offset: Offset,
    },
    /// Unreadable date text, kept as written.
    Raw(String),
}

impl FmDate {
    /// RFC 3339 text with a numeric offset (`2021-10-21T00:22:04+00:00`), or the raw text.
    pub fn to_rfc3339(&self) -> String {
        match self {
            FmDate::At { timestamp, offset } => timestamp.display_with_offset(*offset).to_string(),
            FmDate::Raw(s) => s.clone(),
        }
    }

    /// Jekyll's form (`2021-10-21 00:22:04 +0000`), or the raw text.
    pub fn to_jekyll(&self) -> String {
        match self {
            FmDate::At { timestamp, offset } => timestamp
                .to_zoned_datetime(TimeZone::fixed(*offset))
                .strftime("%Y-%m-%d %H:%M:%S%.f %z")
                .to_string(),
            FmDate::Raw(s) => s.clone(),
        }
    }

    /// Whether [`FmDate::to_rfc3339`] is also a valid TOML offset date-time.
    pub fn is_toml_datetime(&self) -> bool {
        match self {
            FmDate::At { timestamp, offset } => {
                let year = offset.to_datetime(*timestamp).year();
                offset.seconds() % 60 == 0 && (0..=9999).contains(&year)
            }
            FmDate::Raw(_) => false,
        }
    }
}

const NAIVE_DATETIME_FORMATS: &[&str] = &[
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M:%S%.f",
    "%Y/%m/%d %H:%M",
];

const NAIVE_DATE_FORMATS: &[&str] = &["%Y-%m-%d", "%Y/%m/%d"];

/// Reads `text` as a date; naive forms are taken at `default_offset`.
/// Returns `None` when no known form matches.
pub fn parse_date(text: &str, default_offset: Offset) -> Option<FmDate> {
    let text = text.trim();
    parse_rfc3339(text)
        .or_else(|| parse_rfc2822(text))
        .or_else(|| parse_jekyll(text))
        .or_else(|| parse_naive(text, default_offset))
        .map(|(timestamp, offset)| FmDate::At { timestamp, offset })
}

fn parse_rfc3339(text: &str) -> Option<(Timestamp, Offset)> {
    let timestamp: Timestamp = text.parse().ok()?;
    let offset = match Pieces::parse(text).ok()?.offset()? {
        PiecesOffset::Zulu => Offset::UTC,
        PiecesOffset::Numeric(n) => n.offset(),
        _ => return None,
    };
    Some((timestamp, offset))
}

fn parse_rfc2822(text: &str) -> Option<(Timestamp, Offset)> {
    let zoned = jiff::fmt::rfc2822::parse(text).ok()?;
    Some((zoned.timestamp(), zoned.offset()))
}

fn parse_jekyll(text: &str) -> Option<(Timestamp, Offset)> {
    let tm = jiff::fmt::strtime::parse("%Y-%m-%d %H:%M:%S%.f %z", text).ok()?;
    Some((tm.to_timestamp().ok()?, tm.offset()?))
}

fn parse_naive(text: &str, offset: Offset) -> Option<(Timestamp, Offset)> {
    let datetime = NAIVE_DATETIME_FORMATS
        .iter()
        .find_map(|f| DateTime::strptime(f, text).ok())
        .or_else(|| {
            NAIVE_DATE_FORMATS
                .iter()
                .find_map(|f| Date::strptime(f, text).ok())
                .map(|d| d.to_datetime(jiff::civil::Time::midnight()))
        })?;
    Some((offset.to_timestamp(datetime).ok()?, offset))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rfc(text: &str) -> Option<String> {
        parse_date(text, Offset::UTC).map(|d| d.to_rfc3339())
    }

    #[test]
    fn reads_every_documented_form() {
        let cases = [
            ("Thu, 21 Oct 2021 00:22:04 GMT", "2021-10-21T00:22:04+00:00"),
            ("2021-10-21T00:22:04Z", "2021-10-21T00:22:04+00:00"),
            ("2021-10-21T08:22:04+08:00", "2021-10-21T08:22:04+08:00"),
            ("2021-10-21 00:22:04", "2021-10-21T00:22:04+00:00"),
            ("2021-10-21 00:22", "2021-10-21T00:22:00+00:00"),
            ("2021-10-21", "2021-10-21T00:00:00+00:00"),
            ("2021/10/21 00:22:04", "2021-10-21T00:22:04+00:00"),
            ("2013/7/13 20:46:25", "2013-07-13T20:46:25+00:00"),
            ("2021-10-21 05:52:04 +0530", "2021-10-21T05:52:04+05:30"),
            (" 2021-10-21 ", "2021-10-21T00:00:00+00:00"),
        ];
        for (input, want) in cases {
            assert_eq!(rfc(input).as_deref(), Some(want), "{input}");
        }
    }

    #[test]
    fn naive_forms_take_the_default_offset() {
        let off = Offset::from_seconds(8 * 3600).unwrap();
        let d = parse_date("2021-10-21 08:00:00", off).unwrap();
        assert_eq!(d.to_rfc3339(), "2021-10-21T08:00:00+08:00");
    }

    #[test]
    fn unreadable_text_is_none() {
        for t in ["", "yesterday", "2021-13-01", "Thu, 32 Oct 2021", "12:00"] {
            assert_eq!(rfc(t), None, "{t}");
        }
    }

    #[test]
    fn jekyll_form_round_trips() {
        let d = parse_date("2021-10-21T05:52:04.5+05:30", Offset::UTC).unwrap();
        assert_eq!(d.to_jekyll(), "2021-10-21 05:52:04.5 +0530");
        assert_eq!(parse_date(&d.to_jekyll(), Offset::UTC), Some(d));
    }
}
