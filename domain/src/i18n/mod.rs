//! One file per language, each implementing [`crate::Words`].

pub mod en;
pub mod nl;

/// "within N hours", "within 1 day", "within N days" in the shape most languages share:
/// whole days are said as days.
pub(crate) fn within(hours: u32, hour: &str, hours_word: &str, day: &str, days: &str) -> String {
    if hours >= 24 && hours.is_multiple_of(24) {
        match hours / 24 {
            1 => format!("1 {day}"),
            n => format!("{n} {days}"),
        }
    } else if hours == 1 {
        format!("1 {hour}")
    } else {
        format!("{hours} {hours_word}")
    }
}
