//! Working time: when first contact is due, counted in the teams' working hours, with public
//! holidays and team closures, in Europe/Amsterdam. The same computation gives the queue its
//! deadlines and the child's confirmation its promise.

use std::collections::HashSet;

use jiff::civil::{Date, Time, Weekday};
use jiff::tz::TimeZone;
use kjr_domain::{LocalDue, TeamId, Timestamp};
use serde::Deserialize;

/// The bundled calendar.
pub const DEFAULT_CALENDAR: &str = include_str!("../config/calendar.toml");

/// A calendar file that cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("calendar: {0}")]
pub struct CalendarError(String);

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCalendar {
    time_zone: String,
    urgent_working_hours: u32,
    normal_working_hours: u32,
    hours: RawHours,
    #[serde(default)]
    holidays: Vec<String>,
    #[serde(default)]
    closures: Vec<RawClosure>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawHours {
    monday: Option<[String; 2]>,
    tuesday: Option<[String; 2]>,
    wednesday: Option<[String; 2]>,
    thursday: Option<[String; 2]>,
    friday: Option<[String; 2]>,
    saturday: Option<[String; 2]>,
    sunday: Option<[String; 2]>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawClosure {
    team: String,
    from: String,
    to: String,
}

/// Working hours, holidays and closures.
#[derive(Debug, Clone)]
pub struct Calendar {
    tz: TimeZone,
    /// Per weekday, Monday first.
    hours: [Option<(Time, Time)>; 7],
    holidays: HashSet<Date>,
    closures: Vec<(TeamId, Date, Date)>,
    urgent_minutes: i64,
    normal_minutes: i64,
}

fn date(raw: &str) -> Result<Date, CalendarError> {
    raw.parse()
        .map_err(|e| CalendarError(format!("{raw:?} is not a date (YYYY-MM-DD): {e}")))
}

fn time(raw: &str) -> Result<Time, CalendarError> {
    raw.parse()
        .map_err(|e| CalendarError(format!("{raw:?} is not a time (HH:MM): {e}")))
}

impl Calendar {
    /// Parses and checks a calendar.
    pub fn parse(text: &str) -> Result<Self, CalendarError> {
        let raw: RawCalendar = toml::from_str(text).map_err(|e| CalendarError(e.to_string()))?;
        let tz = TimeZone::get(&raw.time_zone)
            .map_err(|e| CalendarError(format!("time zone {:?}: {e}", raw.time_zone)))?;
        let h = &raw.hours;
        let days = [
            &h.monday,
            &h.tuesday,
            &h.wednesday,
            &h.thursday,
            &h.friday,
            &h.saturday,
            &h.sunday,
        ];
        let mut hours = [None; 7];
        for (slot, day) in hours.iter_mut().zip(days) {
            if let Some([open, close]) = day {
                let (open, close) = (time(open)?, time(close)?);
                if open >= close {
                    return Err(CalendarError(format!("{open} is not before {close}")));
                }
                *slot = Some((open, close));
            }
        }
        if hours.iter().all(Option::is_none) {
            return Err(CalendarError("no working hours on any day".into()));
        }
        if raw.urgent_working_hours == 0 || raw.normal_working_hours == 0 {
            return Err(CalendarError("deadlines must be at least one hour".into()));
        }
        let holidays = raw
            .holidays
            .iter()
            .map(|d| date(d))
            .collect::<Result<_, _>>()?;
        let closures = raw
            .closures
            .iter()
            .map(|c| Ok((TeamId(c.team.clone()), date(&c.from)?, date(&c.to)?)))
            .collect::<Result<_, CalendarError>>()?;
        Ok(Self {
            tz,
            hours,
            holidays,
            closures,
            urgent_minutes: i64::from(raw.urgent_working_hours) * 60,
            normal_minutes: i64::from(raw.normal_working_hours) * 60,
        })
    }

    /// The bundled calendar.
    pub fn bundled() -> Self {
        Self::parse(DEFAULT_CALENDAR).unwrap_or_else(|e| panic!("the bundled calendar: {e}"))
    }

    fn working_hours(&self, team: &TeamId, day: Date) -> Option<(Time, Time)> {
        let closed = self.holidays.contains(&day)
            || self
                .closures
                .iter()
                .any(|(t, from, to)| t == team && *from <= day && day <= *to);
        if closed {
            return None;
        }
        let index = day.weekday().to_monday_zero_offset() as usize;
        self.hours[index]
    }

    /// When first contact is due for a request that came in at `received` for `team`.
    pub fn due(&self, team: &TeamId, received: Timestamp, urgent: bool) -> Timestamp {
        let mut remaining = if urgent {
            self.urgent_minutes
        } else {
            self.normal_minutes
        };
        let Ok(start) = jiff::Timestamp::from_second(received.0) else {
            return received;
        };
        let start = start.to_zoned(self.tz.clone());
        let mut day = start.date();
        let mut from = start.time();
        // A year ahead at most: a calendar with working hours always ends sooner.
        for _ in 0..370 {
            if let Some((open, close)) = self.working_hours(team, day) {
                let minutes = |t: Time| i64::from(t.hour()) * 60 + i64::from(t.minute());
                let begin = minutes(from).max(minutes(open));
                let end = minutes(close);
                if begin < end {
                    if remaining <= end - begin {
                        let due = begin + remaining;
                        let at =
                            Time::new((due / 60) as i8, (due % 60) as i8, 0, 0).unwrap_or(close);
                        return match day.to_datetime(at).to_zoned(self.tz.clone()) {
                            Ok(zoned) => Timestamp(zoned.timestamp().as_second()),
                            Err(_) => received,
                        };
                    }
                    remaining -= end - begin;
                }
            }
            let Ok(next) = day.tomorrow() else {
                return received;
            };
            day = next;
            from = Time::midnight();
        }
        received
    }

    /// Whether the day of `at` has working hours for `team`.
    pub fn is_working_day(&self, team: &TeamId, at: Timestamp) -> bool {
        jiff::Timestamp::from_second(at.0)
            .ok()
            .map(|t| t.to_zoned(self.tz.clone()).date())
            .is_some_and(|day| self.working_hours(team, day).is_some())
    }

    /// The hour of the day of `at` in the calendar's time zone.
    pub fn local_hour(&self, at: Timestamp) -> Option<(Date, i8)> {
        let zoned = jiff::Timestamp::from_second(at.0)
            .ok()?
            .to_zoned(self.tz.clone());
        Some((zoned.date(), zoned.hour()))
    }

    /// `at` as the day and time the confirmation states.
    pub fn local(&self, at: Timestamp) -> Option<LocalDue> {
        let zoned = jiff::Timestamp::from_second(at.0)
            .ok()?
            .to_zoned(self.tz.clone());
        Some(LocalDue {
            at,
            weekday: zoned.weekday().to_monday_one_offset() as u8,
            day: zoned.day() as u8,
            month: zoned.month() as u8,
            hour: zoned.hour() as u8,
            minute: zoned.minute() as u8,
        })
    }
}

/// Whether `day` is a weekend day (for tests and the digest).
pub fn is_weekend(day: Date) -> bool {
    matches!(day.weekday(), Weekday::Saturday | Weekday::Sunday)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(local: &str) -> Timestamp {
        let zoned = local
            .parse::<jiff::civil::DateTime>()
            .unwrap()
            .to_zoned(TimeZone::get("Europe/Amsterdam").unwrap())
            .unwrap();
        Timestamp(zoned.timestamp().as_second())
    }

    fn local(t: Timestamp) -> String {
        jiff::Timestamp::from_second(t.0)
            .unwrap()
            .to_zoned(TimeZone::get("Europe/Amsterdam").unwrap())
            .strftime("%a %Y-%m-%d %H:%M")
            .to_string()
    }

    #[test]
    fn urgent_is_four_working_hours_and_a_weekend_is_not_working_time() {
        let c = Calendar::bundled();
        let team = TeamId("noord".into());
        // Tuesday 10:00 → 14:00 the same day.
        assert_eq!(
            local(c.due(&team, at("2026-12-01T10:00"), true)),
            "Tue 2026-12-01 14:00"
        );
        // Friday 15:00 → two hours on Friday, two on Monday.
        assert_eq!(
            local(c.due(&team, at("2026-12-04T15:00"), true)),
            "Mon 2026-12-07 11:00"
        );
        // Saturday night → Monday 13:00.
        assert_eq!(
            local(c.due(&team, at("2026-12-05T23:30"), true)),
            "Mon 2026-12-07 13:00"
        );
    }

    #[test]
    fn others_get_two_working_days_and_holidays_and_closures_do_not_count() {
        let c = Calendar::bundled();
        let team = TeamId("noord".into());
        // Sunday evening → the end of Tuesday.
        assert_eq!(
            local(c.due(&team, at("2026-12-06T20:00"), false)),
            "Tue 2026-12-08 17:00"
        );
        // Thursday 24 December 12:00: Christmas (Fri 25, Sat 26) and the weekend do not count.
        assert_eq!(
            local(c.due(&team, at("2026-12-24T12:00"), false)),
            "Tue 2026-12-29 12:00"
        );
        let closed = Calendar::parse(&format!(
            "{DEFAULT_CALENDAR}\n[[closures]]\nteam = \"noord\"\nfrom = \"2026-12-28\"\nto = \"2026-12-31\"\n"
        ))
        .unwrap();
        assert_eq!(
            local(closed.due(&team, at("2026-12-24T12:00"), false)),
            "Tue 2027-01-05 12:00"
        );
        let other = TeamId("oost".into());
        assert_eq!(
            local(closed.due(&other, at("2026-12-24T12:00"), false)),
            "Tue 2026-12-29 12:00"
        );
    }

    #[test]
    fn summer_time_is_dutch_time() {
        let c = Calendar::bundled();
        let due = c.due(&TeamId("noord".into()), at("2026-07-01T09:00"), true);
        assert_eq!(local(due), "Wed 2026-07-01 13:00");
        let shown = c.local(due).unwrap();
        assert_eq!(
            (
                shown.weekday,
                shown.day,
                shown.month,
                shown.hour,
                shown.minute
            ),
            (3, 1, 7, 13, 0)
        );
    }

    #[test]
    fn a_calendar_without_hours_or_with_a_bad_date_is_refused() {
        assert!(Calendar::parse("time_zone = \"Europe/Amsterdam\"\nurgent_working_hours = 4\nnormal_working_hours = 16\n[hours]\n").is_err());
        let bad = DEFAULT_CALENDAR.replace("2026-01-01", "2026-13-01");
        assert!(Calendar::parse(&bad).is_err());
    }
}
