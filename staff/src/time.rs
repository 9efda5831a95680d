//! Times as the teams read them: Europe/Amsterdam, computed here (CET/CEST by the EU rule)
//! because a time-zone database would not fit the bundle.

use kjr_domain::Timestamp;

const DAY: i64 = 86_400;
const MONTHS: [&str; 12] = [
    "jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec",
];

/// Days since 1970-01-01 of a civil date (proleptic Gregorian; H. Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date (year, month 1–12, day 1–31) of a day since 1970-01-01.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (
        if month <= 2 {
            yoe + era * 400 + 1
        } else {
            yoe + era * 400
        },
        month,
        day,
    )
}

/// The last Sunday of a month with 31 days, as days since 1970-01-01.
fn last_sunday(year: i64, month: i64) -> i64 {
    let last = days_from_civil(year, month, 31);
    // 1970-01-01 was a Thursday: weekday 0 = Sunday.
    last - (last + 4).rem_euclid(7)
}

/// Seconds Amsterdam is ahead of UTC at `t`: summer time (+2 h) from the last Sunday of March
/// 01:00 UTC until the last Sunday of October 01:00 UTC, otherwise +1 h.
pub fn amsterdam_offset(t: Timestamp) -> i64 {
    let (year, _, _) = civil_from_days(t.0.div_euclid(DAY));
    let start = last_sunday(year, 3) * DAY + 3_600;
    let end = last_sunday(year, 10) * DAY + 3_600;
    if (start..end).contains(&t.0) {
        7_200
    } else {
        3_600
    }
}

/// `1 dec 2026 23:19`, in Amsterdam.
pub fn date_time(t: Timestamp) -> String {
    let local = t.0 + amsterdam_offset(t);
    let (year, month, day) = civil_from_days(local.div_euclid(DAY));
    let secs = local.rem_euclid(DAY);
    format!(
        "{day} {} {year} {:02}:{:02}",
        MONTHS[(month - 1) as usize],
        secs / 3_600,
        secs % 3_600 / 60
    )
}

/// `23:19`, in Amsterdam.
pub fn clock(t: Timestamp) -> String {
    let secs = (t.0 + amsterdam_offset(t)).rem_euclid(DAY);
    format!("{:02}:{:02}", secs / 3_600, secs % 3_600 / 60)
}

fn hours_minutes(seconds: i64) -> String {
    let minutes = seconds / 60;
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} min"),
        (h, m) => format!("{h} u {m} min"),
    }
}

/// How long until `due`: `nog 3 u 20 min`, or `2 u 5 min te laat` once it has passed.
pub fn time_left(due: Timestamp, now: Timestamp) -> String {
    let left = due.0 - now.0;
    if left >= 0 {
        format!("nog {}", hours_minutes(left))
    } else {
        format!("{} te laat", hours_minutes(-left))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(year: i64, month: i64, day: i64, hour: i64, minute: i64) -> Timestamp {
        Timestamp(days_from_civil(year, month, day) * DAY + hour * 3_600 + minute * 60)
    }

    #[test]
    fn civil_dates_round_trip() {
        for days in [-800_000, -1, 0, 1, 19_000, 20_788, 2_000_000] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(days_from_civil(2024, 2, 29)), (2024, 2, 29));
    }

    #[test]
    fn summer_time_starts_and_ends_at_one_utc_on_the_last_sundays() {
        // 2026: 29 March and 25 October.
        assert_eq!(amsterdam_offset(utc(2026, 3, 29, 0, 59)), 3_600);
        assert_eq!(amsterdam_offset(utc(2026, 3, 29, 1, 0)), 7_200);
        assert_eq!(amsterdam_offset(utc(2026, 10, 25, 0, 59)), 7_200);
        assert_eq!(amsterdam_offset(utc(2026, 10, 25, 1, 0)), 3_600);
        // 2027: 28 March and 31 October (the 31st itself is the last Sunday).
        assert_eq!(amsterdam_offset(utc(2027, 3, 28, 1, 0)), 7_200);
        assert_eq!(amsterdam_offset(utc(2027, 10, 31, 0, 30)), 7_200);
        assert_eq!(amsterdam_offset(utc(2027, 10, 31, 1, 30)), 3_600);
        assert_eq!(amsterdam_offset(utc(2027, 1, 15, 12, 0)), 3_600);
    }

    #[test]
    fn times_are_shown_in_amsterdam() {
        assert_eq!(date_time(utc(2026, 12, 1, 22, 19)), "1 dec 2026 23:19");
        assert_eq!(date_time(utc(2026, 7, 14, 23, 5)), "15 jul 2026 01:05");
        assert_eq!(date_time(utc(2026, 12, 31, 23, 0)), "1 jan 2027 00:00");
        assert_eq!(clock(utc(2026, 6, 1, 8, 7)), "10:07");
    }

    #[test]
    fn time_left_counts_down_then_says_how_late() {
        let now = utc(2026, 12, 1, 12, 0);
        assert_eq!(
            time_left(now.plus_seconds(3 * 3_600 + 20 * 60 + 59), now),
            "nog 3 u 20 min"
        );
        assert_eq!(time_left(now.plus_seconds(600), now), "nog 10 min");
        assert_eq!(time_left(now, now), "nog 0 min");
        assert_eq!(
            time_left(now.plus_seconds(-(2 * 3_600 + 5 * 60)), now),
            "2 u 5 min te laat"
        );
        assert_eq!(time_left(now.plus_seconds(-59), now), "0 min te laat");
    }
}
