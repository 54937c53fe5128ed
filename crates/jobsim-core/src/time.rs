//! Virtual time: timestamps, durations and `resourceVersion` encoding.
//!
//! The engine never reads a wall clock. Every instant is a [`Micros`] value (microseconds since
//! the Unix epoch, UTC) chosen by the simulator; this module converts those values to and from
//! the text forms Cloud Run uses: RFC 3339 with 6 fractional digits (R6), Go-style durations
//! (`Started deployed execution in 56.03s.`), scenario durations (`"1m30s"`) and the base64
//! `metadata.resourceVersion` (R7).

use chrono::{DateTime, Datelike, Timelike, Utc};

/// Microseconds since the Unix epoch (UTC) for instants, or a length of time for durations: the
/// single time unit of the engine, so no conversion happens between modules.
pub type Micros = i64;

/// One second in [`Micros`], so arithmetic on durations reads clearly.
pub const SECOND: Micros = 1_000_000;

/// The latest instant the clock may reach (9999-12-31T23:59:59.999999Z): the last one RFC 3339
/// can write, so every event time round-trips through the log.
pub const MAX_TIME: Micros = 253_402_300_799_999_999;

/// The longest duration [`parse_duration`] accepts (10 × 365 days), so sums of durations and
/// instants can never overflow an `i64`.
pub const MAX_DURATION: Micros = 10 * 365 * 24 * 3600 * SECOND;

/// Earliest instant [`format_timestamp`] renders (0001-01-01T00:00:00Z); earlier values clamp here.
const MIN_FORMATTABLE: Micros = -62_135_596_800 * SECOND;

/// Latest instant [`format_timestamp`] renders (9999-12-31T23:59:59.999999Z); later values clamp.
const MAX_FORMATTABLE: Micros = 253_402_300_800 * SECOND - 1;

/// Renders an instant as RFC 3339 UTC with exactly 6 fractional digits and `Z` (R6), e.g.
/// `2025-05-29T21:28:53.230122Z`. Values outside years 1..=9999 are clamped, never a panic.
pub fn format_timestamp(t: Micros) -> String {
    let clamped = t.clamp(MIN_FORMATTABLE, MAX_FORMATTABLE);
    match DateTime::<Utc>::from_timestamp_micros(clamped) {
        // Written field by field rather than through chrono's `format` string, whose strftime
        // parser and formatter cost ~9 KB of wasm (BENCHMARKS.md, issue 10 third pass).
        Some(dt) => format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z",
            dt.year(),
            dt.month(),
            dt.day(),
            dt.hour(),
            dt.minute(),
            dt.second(),
            clamped.rem_euclid(SECOND)
        ),
        // Unreachable after the clamp, but a fixed string beats a panic.
        None => "1970-01-01T00:00:00.000000Z".to_string(),
    }
}

/// Parses an RFC 3339 timestamp (any number of fractional digits, any offset) into UTC
/// microseconds, truncating sub-microsecond digits; used for user-supplied instants (R6).
pub fn parse_timestamp(s: &str) -> Result<Micros, String> {
    let expected = || format!("invalid timestamp {}: expected RFC 3339 such as 2026-01-01T00:00:00Z", quote(s));
    let dt = DateTime::parse_from_rfc3339(s.trim()).map_err(|_| expected())?;
    let utc = dt.with_timezone(&Utc);
    if !(1970..=9999).contains(&utc.year()) {
        return Err(format!("invalid timestamp {}: the year must be between 1970 and 9999", quote(s)));
    }
    Ok(utc.timestamp_micros())
}

/// Parses a duration such as `"90s"`, `"1m30s"`, `"2h45m"`, `"1.5s"`, `"500ms"`, `"250us"` or a
/// plain number of seconds (`"90"`, `"1.5"`), for scenario files and CLI flags. Sub-microsecond
/// parts are truncated; negatives, unknown units and values above [`MAX_DURATION`] are errors.
pub fn parse_duration(s: &str) -> Result<Micros, String> {
    let text = s.trim();
    let bad = |why: &str| format!("invalid duration {}: {why}", quote(s));
    if text.is_empty() {
        return Err(bad("expected a duration such as \"90s\", \"1m30s\" or \"1.5\" (seconds)"));
    }
    if text.starts_with('-') {
        return Err(bad("durations cannot be negative"));
    }
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut total_ns: u128 = 0;
    let max_ns = (MAX_DURATION as u128) * 1000;
    while i < bytes.len() {
        // Number: digits, optional '.', digits (at least one digit overall).
        let mut int_part: u128 = 0;
        let mut int_digits = 0usize;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            int_part = int_part.saturating_mul(10).saturating_add(u128::from(bytes[i] - b'0'));
            int_digits += 1;
            i += 1;
        }
        let mut frac: u128 = 0;
        let mut frac_scale: u128 = 1;
        let mut frac_digits = 0usize;
        if i < bytes.len() && bytes[i] == b'.' {
            i += 1;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                // Digits beyond 18 cannot change the nanosecond result of any unit.
                if frac_digits < 18 {
                    frac = frac * 10 + u128::from(bytes[i] - b'0');
                    frac_scale *= 10;
                }
                frac_digits += 1;
                i += 1;
            }
        }
        if int_digits == 0 && frac_digits == 0 {
            return Err(bad("expected a number followed by a unit (h, m, s, ms, us, ns), e.g. \"1m30s\""));
        }
        // Unit: a run of letters (µ/μ included); none means seconds, only for a lone number.
        let unit_start = i;
        while i < bytes.len() && !bytes[i].is_ascii_digit() && bytes[i] != b'.' {
            i += 1;
        }
        let unit = &text[unit_start..i];
        let unit_ns: u128 = match unit {
            "h" => 3_600_000_000_000,
            "m" => 60_000_000_000,
            "s" => 1_000_000_000,
            "ms" => 1_000_000,
            "us" | "µs" | "μs" => 1_000,
            "ns" => 1,
            // A lone number without a unit means seconds ("90", "1.5").
            "" if i == bytes.len() && total_ns == 0 && is_plain(text) => 1_000_000_000,
            "" => return Err(bad("missing unit after the last number (h, m, s, ms, us, ns)")),
            other => return Err(bad(&format!("unknown unit {} (expected h, m, s, ms, us or ns)", quote(other)))),
        };
        if int_part > max_ns {
            return Err(bad(&too_long()));
        }
        let part = int_part * unit_ns + frac * unit_ns / frac_scale;
        total_ns = total_ns.saturating_add(part);
        if total_ns > max_ns {
            return Err(bad(&too_long()));
        }
    }
    // Bounded by MAX_DURATION above, so the conversion cannot fail.
    Micros::try_from(total_ns / 1000).map_err(|_| bad(&too_long()))
}

/// True when `text` is a bare decimal number (digits and at most one '.'), i.e. seconds.
fn is_plain(text: &str) -> bool {
    text.bytes().all(|b| b.is_ascii_digit() || b == b'.') && text.bytes().filter(|&b| b == b'.').count() <= 1
}

/// The message for a duration above [`MAX_DURATION`].
fn too_long() -> String {
    format!("longer than the maximum of {}", format_go_duration(MAX_DURATION))
}

/// Reads a duration from JSON: a string as in [`parse_duration`] or a non-negative number of
/// seconds (`90`, `1.5`), as scenario files and the JS API may use either.
pub fn duration_from_json(v: &serde_json::Value) -> Result<Micros, String> {
    match v {
        serde_json::Value::String(s) => parse_duration(s),
        serde_json::Value::Number(n) => {
            if let Some(secs) = n.as_u64() {
                if secs > (MAX_DURATION / SECOND) as u64 {
                    return Err(format!("invalid duration {n}: {}", too_long()));
                }
                // Bounded above, so the cast is exact.
                return Ok(secs as Micros * SECOND);
            }
            let secs = n.as_f64().unwrap_or(f64::NAN);
            if !secs.is_finite() || secs < 0.0 {
                return Err(format!("invalid duration {n}: expected a non-negative number of seconds"));
            }
            let micros = (secs * 1e6).round();
            if micros > MAX_DURATION as f64 {
                return Err(format!("invalid duration {n}: {}", too_long()));
            }
            Ok(micros as Micros)
        }
        other => Err(format!("invalid duration {other}: expected a string such as \"1m30s\" or a number of seconds")),
    }
}

/// The length of a well-formed *negative* duration (`"-5s"`, `-1.5`), or `None` for anything
/// else: a step that moves the clock back is an outcome ("time never goes back"), the same kind
/// as `advanceTo` a past time, while a malformed duration makes the scenario unusable.
pub fn negative_duration_from_json(v: &serde_json::Value) -> Option<Micros> {
    match v {
        serde_json::Value::String(s) => s.trim().strip_prefix('-').and_then(|rest| parse_duration(rest).ok()),
        serde_json::Value::Number(n) => {
            let secs = n.as_f64().filter(|s| s.is_finite() && *s < 0.0)?;
            duration_from_json(&serde_json::json!(-secs)).ok()
        }
        _ => None,
    }
}

/// Formats a duration like Go's `time.Duration.String()` after truncating to 10 ms, as Cloud Run
/// prints it in `Started deployed execution in {d}.` (`56.03s`, `2m29.63s`, `1h0m0s`, `500ms`).
pub fn format_go_duration(d: Micros) -> String {
    go_string(d - d % 10_000)
}

/// Formats a duration for timelines and explanations (`600s` is `10m0s`, `1m30s`, `1.5s`, `0s`):
/// Go style at millisecond precision.
pub fn format_duration_short(d: Micros) -> String {
    go_string(d - d % 1_000)
}

/// Go's `Duration.String()` at microsecond resolution.
fn go_string(d: Micros) -> String {
    let sign = if d < 0 { "-" } else { "" };
    let us = d.unsigned_abs();
    if us == 0 {
        return "0s".to_string();
    }
    if us < 1_000 {
        return format!("{sign}{us}µs");
    }
    if us < 1_000_000 {
        return format!("{sign}{}{}ms", us / 1_000, fraction(us % 1_000, 3));
    }
    let secs = us / 1_000_000;
    let frac = fraction(us % 1_000_000, 6);
    let (h, m, s) = (secs / 3600, (secs / 60) % 60, secs % 60);
    if h > 0 {
        format!("{sign}{h}h{m}m{s}{frac}s")
    } else if m > 0 {
        format!("{sign}{m}m{s}{frac}s")
    } else {
        format!("{sign}{s}{frac}s")
    }
}

/// `.ddd` with trailing zeros trimmed (empty when zero), for a fraction of `width` digits.
fn fraction(value: u64, width: usize) -> String {
    if value == 0 {
        return String::new();
    }
    let digits = format!("{value:0width$}");
    format!(".{}", digits.trim_end_matches('0'))
}

/// The standard base64 alphabet (RFC 4648 §4), used by `resourceVersion`.
const BASE64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Encodes the object's last-write instant as Cloud Run's `metadata.resourceVersion` (R7):
/// standard base64 without padding of the big-endian `i64`, always 11 characters.
pub fn resource_version(t: Micros) -> String {
    let bytes = t.to_be_bytes();
    let mut out = String::with_capacity(11);
    for chunk in bytes.chunks(3) {
        let b0 = u32::from(chunk[0]);
        let b1 = chunk.get(1).map_or(0, |&b| u32::from(b));
        let b2 = chunk.get(2).map_or(0, |&b| u32::from(b));
        let n = (b0 << 16) | (b1 << 8) | b2;
        // A chunk of k bytes yields k + 1 characters when unpadded.
        for i in 0..=chunk.len() {
            let idx = (n >> (18 - 6 * i)) & 0x3f;
            out.push(char::from(BASE64[idx as usize]));
        }
    }
    out
}

/// The instant a write at `now` records in a resource whose current version encodes `last`
/// (D17): `now`, or `last` + 1 µs when `now` is not later, so every write of one resource gets a
/// strictly greater `resourceVersion` even when several happen at the same virtual instant.
pub fn next_write(last: Micros, now: Micros) -> Micros {
    if now > last {
        now
    } else {
        last.saturating_add(1)
    }
}

/// Decodes a `resourceVersion` made by [`resource_version`] back to its instant, so an
/// `etag`/`resourceVersion` precondition can be compared; `None` for anything else.
pub fn parse_resource_version(s: &str) -> Option<Micros> {
    let chars = s.as_bytes();
    if chars.len() != 11 {
        return None;
    }
    let mut acc: u128 = 0;
    for &c in chars {
        let v = BASE64.iter().position(|&b| b == c)?;
        acc = (acc << 6) | v as u128;
    }
    // 66 bits were read; the last 2 are padding and must be zero (canonical form only).
    if acc & 0b11 != 0 {
        return None;
    }
    let raw = (acc >> 2) as u64;
    Some(raw as i64)
}

/// Elapsed time since `start` as `HH:MM:SS` (hours may exceed 24, sub-seconds truncated, `-`
/// before `start`), the clock column of text timelines (e.g. `00:00:42`).
pub fn format_clock(t: Micros, start: Micros) -> String {
    let elapsed = i128::from(t) - i128::from(start);
    let sign = if elapsed < 0 { "-" } else { "" };
    let secs = elapsed.unsigned_abs() / 1_000_000;
    format!("{sign}{:02}:{:02}:{:02}", secs / 3600, (secs / 60) % 60, secs % 60)
}

/// Quotes user input for an error message, shortening very long input so messages stay small.
fn quote(s: &str) -> String {
    const MAX: usize = 80;
    if s.chars().count() <= MAX {
        format!("{s:?}")
    } else {
        let head: String = s.chars().take(MAX).collect();
        format!("{:?}", format!("{head}…"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ts(s: &str) -> Micros {
        parse_timestamp(s).unwrap()
    }

    #[test]
    fn formats_six_digits_and_z() {
        assert_eq!(format_timestamp(0), "1970-01-01T00:00:00.000000Z");
        let t = ts("2025-05-29T21:28:53.230122Z");
        assert_eq!(t, 1_748_554_133_230_122);
        assert_eq!(format_timestamp(t), "2025-05-29T21:28:53.230122Z");
        assert_eq!(format_timestamp(ts("2026-01-01T00:00:00Z")), "2026-01-01T00:00:00.000000Z");
    }

    /// R6: the field-by-field writer gives what chrono's `%Y-%m-%dT%H:%M:%S%.6fZ` gives, over
    /// the whole formattable range (issue 10 replaced the format string to save wasm bytes).
    #[test]
    fn r6_format_matches_chrono_strftime_across_the_range() {
        let mut t = MIN_FORMATTABLE;
        let step = (MAX_FORMATTABLE / 5_000) | 1;
        let mut checked = 0;
        while t <= MAX_FORMATTABLE {
            for probe in [t, t + 999_999, t - 1, -t] {
                let clamped = probe.clamp(MIN_FORMATTABLE, MAX_FORMATTABLE);
                let dt = DateTime::<Utc>::from_timestamp_micros(clamped).unwrap();
                assert_eq!(format_timestamp(probe), dt.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string(), "{probe}");
                checked += 1;
            }
            t += step;
        }
        assert!(checked > 20_000);
    }

    #[test]
    fn format_clamps_out_of_range() {
        assert_eq!(format_timestamp(i64::MAX), "9999-12-31T23:59:59.999999Z");
        assert_eq!(format_timestamp(i64::MIN), "0001-01-01T00:00:00.000000Z");
        assert_eq!(format_timestamp(-1), "1969-12-31T23:59:59.999999Z");
    }

    #[test]
    fn parses_any_fraction_and_offset() {
        let base = ts("2026-01-01T00:00:00Z");
        assert_eq!(ts("2026-01-01T00:00:00.5Z"), base + 500_000);
        assert_eq!(ts("2026-01-01T00:00:00.123Z"), base + 123_000);
        assert_eq!(ts("2026-01-01T00:00:00.123456Z"), base + 123_456);
        assert_eq!(ts("2026-01-01T00:00:00.123456789Z"), base + 123_456);
        assert_eq!(ts("2026-01-01T02:00:00+02:00"), base);
        assert_eq!(ts("2025-12-31T19:00:00.000001-05:00"), base + 1);
        assert_eq!(ts("2026-01-01t00:00:00z"), base);
    }

    #[test]
    fn rejects_bad_timestamps() {
        let err = parse_timestamp("x").unwrap_err();
        assert_eq!(err, "invalid timestamp \"x\": expected RFC 3339 such as 2026-01-01T00:00:00Z");
        for bad in ["", "2026-01-01", "2026-01-01T00:00:00", "2026-13-01T00:00:00Z", "yesterday"] {
            assert!(parse_timestamp(bad).is_err(), "{bad}");
        }
        let err = parse_timestamp("1969-12-31T23:59:59Z").unwrap_err();
        assert!(err.contains("between 1970 and 9999"), "{err}");
        assert!(parse_timestamp("9999-12-31T23:00:00-05:00").is_err());
        assert!(parse_timestamp("9999-12-31T23:59:59.999999Z").is_ok());
        assert!(parse_timestamp("1970-01-01T00:00:00Z").is_ok());
        let long = "y".repeat(10_000);
        assert!(parse_timestamp(&long).unwrap_err().len() < 200);
    }

    #[test]
    fn roundtrips_timestamps() {
        for t in [0, 1, 999_999, 1_748_554_133_230_122, 253_402_300_799_999_999] {
            assert_eq!(ts(&format_timestamp(t)), t);
        }
    }

    #[test]
    fn parses_go_durations() {
        let cases: &[(&str, Micros)] = &[
            ("90s", 90 * SECOND),
            ("1m30s", 90 * SECOND),
            ("1h", 3600 * SECOND),
            ("2h45m", (2 * 3600 + 45 * 60) * SECOND),
            ("1.5s", 1_500_000),
            ("500ms", 500_000),
            ("250us", 250),
            ("250µs", 250),
            ("1500ns", 1),
            ("0s", 0),
            ("0", 0),
            ("90", 90 * SECOND),
            ("1.5", 1_500_000),
            (".5s", 500_000),
            ("2.s", 2 * SECOND),
            ("1h0m0.000001s", 3600 * SECOND + 1),
            (" 10s ", 10 * SECOND),
            ("0.1h", 360 * SECOND),
            ("87600h", MAX_DURATION),
        ];
        for &(s, want) in cases {
            assert_eq!(parse_duration(s), Ok(want), "{s}");
        }
    }

    #[test]
    fn rejects_bad_durations() {
        for bad in [
            "",
            " ",
            "-1s",
            "-5",
            "1x",
            "1d",
            "s",
            ".",
            "1..5s",
            "1s5",
            "NaN",
            "inf",
            "1e3",
            "87601h",
            "99999999999999999999999999999999999999999999h",
            "1.5.5",
            "+1s",
            "1m30",
        ] {
            let err = parse_duration(bad).unwrap_err();
            assert!(err.starts_with("invalid duration \""), "{bad}: {err}");
        }
        assert!(parse_duration("-1s").unwrap_err().contains("negative"));
        assert!(parse_duration("3w").unwrap_err().contains("unknown unit \"w\""));
        assert!(parse_duration("87601h").unwrap_err().contains("87600h0m0s"));
    }

    #[test]
    fn durations_from_json() {
        assert_eq!(duration_from_json(&json!("1m30s")), Ok(90 * SECOND));
        assert_eq!(duration_from_json(&json!(90)), Ok(90 * SECOND));
        assert_eq!(duration_from_json(&json!(1.5)), Ok(1_500_000));
        assert_eq!(duration_from_json(&json!(0.29)), Ok(290_000));
        assert_eq!(duration_from_json(&json!(0)), Ok(0));
        assert!(duration_from_json(&json!(-1)).is_err());
        assert!(duration_from_json(&json!(-0.5)).is_err());
        assert!(duration_from_json(&json!(1e300)).is_err());
        assert!(duration_from_json(&json!(u64::MAX)).is_err());
        assert!(duration_from_json(&json!(null)).is_err());
        assert!(duration_from_json(&json!([1])).is_err());
        assert!(duration_from_json(&json!(true)).is_err());
        assert!(duration_from_json(&json!("-3s")).is_err());
    }

    #[test]
    fn go_duration_like_cloud_run() {
        let cases: &[(Micros, &str)] = &[
            (56_030_000, "56.03s"),
            (56_039_999, "56.03s"),
            (149_630_000, "2m29.63s"),
            (63_600_000, "1m3.6s"),
            (1_300_000, "1.3s"),
            (0, "0s"),
            (9_999, "0s"),
            (2_700_000, "2.7s"),
            (3_600 * SECOND, "1h0m0s"),
            (500_000, "500ms"),
            (10_000, "10ms"),
            (1_000_000, "1s"),
            (60 * SECOND, "1m0s"),
            (90_061 * SECOND, "25h1m1s"),
            (-1_500_000, "-1.5s"),
        ];
        for &(d, want) in cases {
            assert_eq!(format_go_duration(d), want, "{d}");
        }
        // Never panics at the extremes.
        assert!(format_go_duration(i64::MIN).starts_with('-'));
        assert!(!format_go_duration(i64::MAX).is_empty());
    }

    #[test]
    fn short_duration() {
        assert_eq!(format_duration_short(600 * SECOND), "10m0s");
        assert_eq!(format_duration_short(90 * SECOND), "1m30s");
        assert_eq!(format_duration_short(42 * SECOND), "42s");
        assert_eq!(format_duration_short(1_500_000), "1.5s");
        assert_eq!(format_duration_short(0), "0s");
        assert_eq!(format_duration_short(1_234), "1ms");
        assert_eq!(format_duration_short(1_234_567), "1.234s");
        assert_eq!(format_duration_short(999), "0s");
    }

    #[test]
    fn resource_version_matches_real_data() {
        let cases = [
            ("2025-06-10T13:36:47.275824Z", "AAY3N8m4DzA"),
            ("2025-05-29T21:29:27.009641Z", "AAY2TP3+wWk"),
            ("2026-08-26T05:18:38.990567Z", "AAZZ7FoYxOc"),
        ];
        for (t, rv) in cases {
            assert_eq!(resource_version(ts(t)), rv, "{t}");
            assert_eq!(parse_resource_version(rv), Some(ts(t)), "{rv}");
        }
    }

    #[test]
    fn resource_version_roundtrips() {
        for t in [0, 1, -1, i64::MAX, i64::MIN, 1_749_562_169_225_430] {
            let rv = resource_version(t);
            assert_eq!(rv.len(), 11);
            assert_eq!(parse_resource_version(&rv), Some(t));
        }
        assert_eq!(resource_version(0), "AAAAAAAAAAA");
        for bad in ["", "AAAAAAAAAA", "AAAAAAAAAAAA", "AAAAAAAAAA=", "AAAAAAAAAAB", "AAY3N8m4Dz-"] {
            assert_eq!(parse_resource_version(bad), None, "{bad}");
        }
    }

    #[test]
    fn clock_column() {
        let start = ts("2026-01-01T00:00:00Z");
        assert_eq!(format_clock(start, start), "00:00:00");
        assert_eq!(format_clock(start + 42_999_999, start), "00:00:42");
        assert_eq!(format_clock(start + 3_723 * SECOND, start), "01:02:03");
        assert_eq!(format_clock(start + 100 * 3600 * SECOND, start), "100:00:00");
        assert_eq!(format_clock(start - 5 * SECOND, start), "-00:00:05");
        assert!(!format_clock(i64::MAX, i64::MIN).is_empty());
    }
}
