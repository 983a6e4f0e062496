//! When a digest is sent and what period it reports on: a weekly or monthly [`Schedule`] at a
//! local day and hour in an IANA time zone.
//!
//! Invariants:
//! - A [`Schedule`] is valid by construction: weekly days are ISO weekdays 1 (Monday) to 7,
//!   monthly days 1 to 28 (every month has them), hours 0 to 23, the zone a `chrono-tz` name.
//! - Runs are instants (UTC); each is the given local day and hour in the zone, so a weekly
//!   08:00 digest in Europe/Amsterdam runs at 07:00 UTC in winter and 06:00 UTC in summer. An
//!   hour that a DST change skips runs at the first local instant after the gap; an hour that
//!   occurs twice runs at the first of the two.
//! - The period of a run is whole local days before the run's local day: the 7 days ending
//!   the day before (Monday to Sunday for a Monday run) for weekly, the previous calendar
//!   month for monthly. Its bounds are calendar dates, which the documents read as UTC days
//!   (rollups are per UTC day).
//!
//! Must not depend on actix-web or diesel.

use chrono::{DateTime, Datelike, Days, Months, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use std::fmt;
use std::str::FromStr;

/// How often a digest is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Frequency {
    Weekly,
    Monthly,
}

impl Frequency {
    /// The name stored and shown (`weekly`, `monthly`).
    pub fn as_str(self) -> &'static str {
        match self {
            Frequency::Weekly => "weekly",
            Frequency::Monthly => "monthly",
        }
    }

    pub fn parse(name: &str) -> Option<Frequency> {
        match name {
            "weekly" => Some(Frequency::Weekly),
            "monthly" => Some(Frequency::Monthly),
            _ => None,
        }
    }

    /// The days a schedule of this frequency may name.
    pub fn days(self) -> std::ops::RangeInclusive<u32> {
        match self {
            Frequency::Weekly => 1..=7,
            Frequency::Monthly => 1..=28,
        }
    }
}

impl fmt::Display for Frequency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a schedule was refused; the text is the API's validation message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    #[error("day must be an ISO weekday from 1 (Monday) to 7 (Sunday) for a weekly digest")]
    WeeklyDay,
    #[error("day must be between 1 and 28 for a monthly digest")]
    MonthlyDay,
    #[error("hour must be between 0 and 23")]
    Hour,
    #[error("time_zone {0:?} is not an IANA time zone name (like Europe/Amsterdam or UTC)")]
    TimeZone(String),
}

/// A digest's schedule: the local day and hour, in a time zone, it is sent at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schedule {
    frequency: Frequency,
    day: u32,
    hour: u32,
    zone: Tz,
}

/// The days a digest run reports on, as calendar dates (both inclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub first: NaiveDate,
    pub last: NaiveDate,
}

impl Period {
    /// The first and last day as epoch day numbers (how storage and rollups count days).
    pub fn epoch_days(self) -> (i64, i64) {
        (epoch_day(self.first), epoch_day(self.last))
    }

    /// The period of two epoch day numbers.
    pub fn from_epoch_days(first: i64, last: i64) -> Period {
        Period {
            first: date_of_epoch_day(first),
            last: date_of_epoch_day(last),
        }
    }

    /// Days covered, both ends included.
    pub fn days(self) -> i64 {
        (self.last - self.first).num_days() + 1
    }
}

fn epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default()
}

/// The epoch day number of a date (days since 1970-01-01).
pub fn epoch_day(date: NaiveDate) -> i64 {
    (date - epoch()).num_days()
}

/// The date of an epoch day number (saturating at chrono's range).
pub fn date_of_epoch_day(day: i64) -> NaiveDate {
    chrono::TimeDelta::try_days(day)
        .and_then(|d| epoch().checked_add_signed(d))
        .unwrap_or(if day < 0 {
            NaiveDate::MIN
        } else {
            NaiveDate::MAX
        })
}

/// Parses an IANA time zone name (`Europe/Amsterdam`, `UTC`), as `chrono-tz` knows them.
pub fn parse_time_zone(name: &str) -> Result<Tz, ScheduleError> {
    Tz::from_str(name).map_err(|_| ScheduleError::TimeZone(name.to_string()))
}

/// How far [`Schedule::next_run`] and [`Schedule::latest_run`] look: more than any month.
const SEARCH_DAYS: u64 = 40;

impl Schedule {
    pub fn new(
        frequency: Frequency,
        day: i32,
        hour: i32,
        time_zone: &str,
    ) -> Result<Schedule, ScheduleError> {
        let day = u32::try_from(day)
            .ok()
            .filter(|d| frequency.days().contains(d))
            .ok_or(match frequency {
                Frequency::Weekly => ScheduleError::WeeklyDay,
                Frequency::Monthly => ScheduleError::MonthlyDay,
            })?;
        let hour = u32::try_from(hour)
            .ok()
            .filter(|h| *h < 24)
            .ok_or(ScheduleError::Hour)?;
        Ok(Schedule {
            frequency,
            day,
            hour,
            zone: parse_time_zone(time_zone)?,
        })
    }

    pub fn frequency(&self) -> Frequency {
        self.frequency
    }

    pub fn zone(&self) -> Tz {
        self.zone
    }

    fn runs_on(&self, date: NaiveDate) -> bool {
        match self.frequency {
            Frequency::Weekly => date.weekday().number_from_monday() == self.day,
            Frequency::Monthly => date.day() == self.day,
        }
    }

    /// The instant of the schedule's hour on a local date: the first of two in a repeated
    /// hour, the end of the gap in a skipped one.
    fn run_on(&self, date: NaiveDate) -> DateTime<Utc> {
        let local = date.and_time(NaiveTime::from_hms_opt(self.hour, 0, 0).unwrap_or_default());
        // A DST gap is at most a few hours: step through it a minute at a time.
        for minutes in 0..=(4 * 60) {
            let at = local + chrono::TimeDelta::minutes(minutes);
            if let Some(t) = self.zone.from_local_datetime(&at).earliest() {
                return t.with_timezone(&Utc);
            }
        }
        // No zone has a gap this long; fall back to reading the time as UTC.
        Utc.from_utc_datetime(&local)
    }

    fn local_date(&self, at: DateTime<Utc>) -> NaiveDate {
        at.with_timezone(&self.zone).date_naive()
    }

    /// The first run strictly after `after`.
    pub fn next_run(&self, after: DateTime<Utc>) -> DateTime<Utc> {
        let start = self.local_date(after) - Days::new(1);
        (0..=SEARCH_DAYS)
            .map(|d| start + Days::new(d))
            .filter(|d| self.runs_on(*d))
            .map(|d| self.run_on(d))
            .find(|t| *t > after)
            .unwrap_or(after)
    }

    /// The last run at or before `at` (the run a late scheduler should still make).
    pub fn latest_run(&self, at: DateTime<Utc>) -> DateTime<Utc> {
        let start = self.local_date(at) + Days::new(1);
        (0..=SEARCH_DAYS)
            .map(|d| start - Days::new(d))
            .filter(|d| self.runs_on(*d))
            .map(|d| self.run_on(d))
            .find(|t| *t <= at)
            .unwrap_or(at)
    }

    /// The period a run at `run` reports on: the 7 local days before the run's local day
    /// (weekly), or the calendar month before it (monthly).
    pub fn period_of(&self, run: DateTime<Utc>) -> Period {
        let day = self.local_date(run);
        match self.frequency {
            Frequency::Weekly => Period {
                first: day - Days::new(7),
                last: day - Days::new(1),
            },
            Frequency::Monthly => {
                let this_month = day.with_day(1).unwrap_or(day);
                Period {
                    first: this_month - Months::new(1),
                    last: this_month - Days::new(1),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_weekly_digest_runs_at_its_local_hour_on_its_weekday() {
        // Mondays 08:00 in Amsterdam; 2026-12-02 is a Wednesday, in winter time (UTC+1).
        let s = Schedule::new(Frequency::Weekly, 1, 8, "Europe/Amsterdam").unwrap();
        assert_eq!(
            s.next_run(utc("2026-12-02T12:00:00Z")),
            utc("2026-12-07T07:00:00Z")
        );
        // Exactly at a run: the next one is a week later.
        assert_eq!(
            s.next_run(utc("2026-12-07T07:00:00Z")),
            utc("2026-12-14T07:00:00Z")
        );
        // A second before it: that run.
        assert_eq!(
            s.next_run(utc("2026-12-07T06:59:59Z")),
            utc("2026-12-07T07:00:00Z")
        );
    }

    #[test]
    fn runs_keep_their_local_hour_across_a_dst_change() {
        // Mondays 08:00 in Amsterdam: summer time starts on Sunday 2026-03-29.
        let s = Schedule::new(Frequency::Weekly, 1, 8, "Europe/Amsterdam").unwrap();
        assert_eq!(
            s.next_run(utc("2026-03-23T07:00:00Z")),
            utc("2026-03-30T06:00:00Z")
        );
        // And it ends on Sunday 2026-10-25.
        assert_eq!(
            s.next_run(utc("2026-10-19T06:00:00Z")),
            utc("2026-10-26T07:00:00Z")
        );
    }

    #[test]
    fn an_hour_skipped_by_dst_runs_at_the_end_of_the_gap_and_a_repeated_one_runs_once() {
        // 02:00 does not exist in Amsterdam on 2026-03-29 (02:00 → 03:00 CEST = 01:00 UTC).
        let s = Schedule::new(Frequency::Weekly, 7, 2, "Europe/Amsterdam").unwrap();
        assert_eq!(
            s.next_run(utc("2026-03-28T00:00:00Z")),
            utc("2026-03-29T01:00:00Z")
        );
        // 02:00 happens twice on 2026-10-25: the first (CEST, 00:00 UTC) is the run, and the
        // second is not another one.
        let first = s.next_run(utc("2026-10-24T00:00:00Z"));
        assert_eq!(first, utc("2026-10-25T00:00:00Z"));
        assert_eq!(s.next_run(first), utc("2026-11-01T01:00:00Z"));
    }

    #[test]
    fn a_monthly_digest_runs_on_its_day_of_the_month() {
        let s = Schedule::new(Frequency::Monthly, 28, 23, "America/New_York").unwrap();
        // 28 February 23:00 EST = 1 March 04:00 UTC.
        assert_eq!(
            s.next_run(utc("2027-02-10T00:00:00Z")),
            utc("2027-03-01T04:00:00Z")
        );
        // 28 March 23:00 EDT (summer time began 14 March) = 29 March 03:00 UTC.
        assert_eq!(
            s.next_run(utc("2027-03-01T04:00:00Z")),
            utc("2027-03-29T03:00:00Z")
        );
    }

    #[test]
    fn the_latest_run_is_the_last_one_not_after_the_given_time() {
        let s = Schedule::new(Frequency::Weekly, 1, 8, "Europe/Amsterdam").unwrap();
        assert_eq!(
            s.latest_run(utc("2026-12-16T00:00:00Z")),
            utc("2026-12-14T07:00:00Z")
        );
        assert_eq!(
            s.latest_run(utc("2026-12-14T07:00:00Z")),
            utc("2026-12-14T07:00:00Z")
        );
        assert_eq!(
            s.latest_run(utc("2026-12-14T06:59:59Z")),
            utc("2026-12-07T07:00:00Z")
        );
    }

    #[test]
    fn a_weekly_period_is_the_seven_local_days_before_the_run() {
        let s = Schedule::new(Frequency::Weekly, 1, 0, "Pacific/Auckland").unwrap();
        // Monday 2026-12-07 00:00 in Auckland (UTC+13) is Sunday 11:00 UTC: still the local
        // Monday decides, so the period is Monday 30 November to Sunday 6 December.
        let run = s.next_run(utc("2026-12-05T00:00:00Z"));
        assert_eq!(run, utc("2026-12-06T11:00:00Z"));
        let period = s.period_of(run);
        assert_eq!(
            period,
            Period {
                first: date("2026-11-30"),
                last: date("2026-12-06")
            }
        );
        assert_eq!(period.days(), 7);
    }

    #[test]
    fn a_weekly_period_spanning_a_dst_change_is_still_seven_days() {
        let s = Schedule::new(Frequency::Weekly, 3, 9, "Europe/Amsterdam").unwrap();
        let run = s.next_run(utc("2026-03-30T00:00:00Z"));
        assert_eq!(run, utc("2026-04-01T07:00:00Z"));
        let period = s.period_of(run);
        assert_eq!(
            (period.first, period.last),
            (date("2026-03-25"), date("2026-03-31"))
        );
    }

    #[test]
    fn a_monthly_period_is_the_previous_calendar_month() {
        let s = Schedule::new(Frequency::Monthly, 1, 6, "Europe/Amsterdam").unwrap();
        let run = s.next_run(utc("2027-02-15T00:00:00Z"));
        assert_eq!(run, utc("2027-03-01T05:00:00Z"));
        let period = s.period_of(run);
        assert_eq!(
            (period.first, period.last),
            (date("2027-02-01"), date("2027-02-28"))
        );
        // January, across the year.
        let january = s.period_of(utc("2027-01-01T05:00:00Z"));
        assert_eq!(
            (january.first, january.last),
            (date("2026-12-01"), date("2026-12-31"))
        );
        assert_eq!(january.days(), 31);
    }

    #[test]
    fn periods_round_trip_through_epoch_days() {
        let p = Period {
            first: date("2026-11-30"),
            last: date("2026-12-06"),
        };
        let (a, b) = p.epoch_days();
        assert_eq!(a, 20_787);
        assert_eq!(Period::from_epoch_days(a, b), p);
    }

    #[test]
    fn schedules_outside_their_ranges_are_refused() {
        assert_eq!(
            Schedule::new(Frequency::Weekly, 0, 8, "UTC"),
            Err(ScheduleError::WeeklyDay)
        );
        assert_eq!(
            Schedule::new(Frequency::Weekly, 8, 8, "UTC"),
            Err(ScheduleError::WeeklyDay)
        );
        assert_eq!(
            Schedule::new(Frequency::Monthly, 29, 8, "UTC"),
            Err(ScheduleError::MonthlyDay)
        );
        assert_eq!(
            Schedule::new(Frequency::Monthly, 1, 24, "UTC"),
            Err(ScheduleError::Hour)
        );
        assert_eq!(
            Schedule::new(Frequency::Monthly, 1, -1, "UTC"),
            Err(ScheduleError::Hour)
        );
        assert!(matches!(
            Schedule::new(Frequency::Weekly, 1, 8, "Mars/Olympus_Mons"),
            Err(ScheduleError::TimeZone(_))
        ));
        assert!(Schedule::new(Frequency::Monthly, 28, 0, "Asia/Kolkata").is_ok());
    }
}
