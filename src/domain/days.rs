//! Per-day attribution: a report covering several UTC days has its counts spread over those
//! days in proportion to the time covered, with largest-remainder rounding so totals stay
//! exact.
//!
//! Both functions take any input without overflowing: ranges near the ends of `i64` saturate,
//! and the parts of any `u64` total are computed in `i128`.

/// Seconds per day.
pub const DAY: i64 = 86_400;
/// Ranges longer than this are not spread (a reporter's clock or format error): all counts
/// go to the last day.
pub const MAX_SPREAD_DAYS: i64 = 62;

/// The UTC days (epoch day numbers) a report's `[begin, end]` range covers, with the seconds
/// of each. An `end` at exactly midnight does not open a new day; `end <= begin` is one day.
pub fn day_weights(begin: i64, end: i64) -> Vec<(i64, i64)> {
    // Treat `end` as inclusive second, except a range ending on midnight, which reporters
    // use for "up to the end of the previous day".
    let stop = if end > begin {
        end
    } else {
        begin.saturating_add(1)
    };
    let first = begin.div_euclid(DAY);
    // `stop > begin` except at `i64::MAX`, where the range is that one second.
    let last = (stop - 1).div_euclid(DAY).max(first);
    if i128::from(last) - i128::from(first) + 1 > i128::from(MAX_SPREAD_DAYS) {
        return vec![(last, 1)];
    }
    (first..=last)
        .map(|day| {
            let from = begin.max(day.saturating_mul(DAY));
            let to = stop.min(day.saturating_add(1).saturating_mul(DAY));
            (day, to.saturating_sub(from).max(1))
        })
        .collect()
}

/// Splits `total` over `weights` so the parts sum to `total` exactly (largest remainder).
/// Weights below 1 count as 1.
pub fn split(total: u64, weights: &[(i64, i64)]) -> Vec<(i64, u64)> {
    if weights.len() <= 1 {
        return weights.iter().map(|&(day, _)| (day, total)).collect();
    }
    let weight = |w: i64| i128::from(w.max(1));
    // At most 2^64 weights of at most 2^63 each: the sum fits in i128.
    let sum: i128 = weights.iter().map(|&(_, w)| weight(w)).sum();
    let mut parts: Vec<(i64, u64, i128)> = weights
        .iter()
        .map(|&(day, w)| {
            // total * w / sum <= total, so the part fits in u64; the product needs u128 range,
            // which i128 covers for w < 2^63.
            let exact = i128::from(total) * weight(w);
            (day, u64::try_from(exact / sum).unwrap_or(0), exact % sum)
        })
        .collect();
    // The floors add up to at most `total`.
    let assigned = parts
        .iter()
        .fold(0u64, |acc, p| acc.saturating_add(p.1))
        .min(total);
    let mut left = total - assigned;
    let mut order: Vec<usize> = (0..parts.len()).collect();
    // Largest remainder first; ties go to the earlier day.
    order.sort_by(|&a, &b| parts[b].2.cmp(&parts[a].2).then(a.cmp(&b)));
    for i in order {
        if left == 0 {
            break;
        }
        parts[i].1 = parts[i].1.saturating_add(1);
        left -= 1;
    }
    parts.into_iter().map(|(day, n, _)| (day, n)).collect()
}

/// The epoch day of the first day of the UTC calendar month holding epoch day `day`
/// (proleptic Gregorian; H. Hinnant's `civil_from_days`). Total: any i64 maps to a month start
/// at or before it, and `month_start(month_start(d)) == month_start(d)`.
pub fn month_start(day: i64) -> i64 {
    day.saturating_sub(day_of_month(day) - 1)
}

/// The epoch day of the Monday starting the ISO week that holds epoch day `day` (epoch day 0,
/// 1970-01-01, was a Thursday).
pub fn week_start(day: i64) -> i64 {
    day.saturating_sub(day.saturating_add(3).rem_euclid(7))
}

/// The epoch day of the first day of the month after the one holding `day`.
pub fn next_month_start(day: i64) -> i64 {
    let start = month_start(day);
    // Every month has at least 28 days; the 32nd day after its start is in the next month.
    month_start(start.saturating_add(31))
}

/// The day of the month (1–31) of an epoch day.
fn day_of_month(day: i64) -> i64 {
    let z = i128::from(day) + 719_468;
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    // 1–31 whatever the input, so the conversion cannot fail.
    i64::try_from(doy - (153 * mp + 2) / 5 + 1).unwrap_or(1)
}

/// An inclusive (first, last) range of epoch days, or none.
pub type Span = Option<(i64, i64)>;

/// An inclusive range of epoch days cut into whole calendar months and the days at its edges:
/// (days before the first whole month, the first days of the whole months, days after the
/// last whole month), each an inclusive (first, last) or `None`. What the per-source rollups
/// read: whole months from the monthly sums, the rest from the daily ones.
pub fn months_and_edges(first: i64, last: i64) -> (Span, Span, Span) {
    if first > last {
        return (None, None, None);
    }
    let first_whole = if month_start(first) == first {
        first
    } else {
        next_month_start(first)
    };
    // The last whole month ends at `last`: the day after `last` starts a month.
    let end_whole = if month_start(last.saturating_add(1)) == last.saturating_add(1) {
        last.saturating_add(1)
    } else {
        month_start(last)
    };
    if first_whole >= end_whole {
        return (Some((first, last)), None, None);
    }
    let before = (first < first_whole).then(|| (first, first_whole - 1));
    let months = Some((first_whole, month_start(end_whole - 1)));
    let after = (end_whole <= last).then_some((end_whole, last));
    (before, months, after)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_one_day_report_ending_at_midnight_covers_one_day() {
        assert_eq!(day_weights(0, 86_400), vec![(0, 86_400)]);
        assert_eq!(day_weights(0, 86_399), vec![(0, 86_399)]);
    }

    #[test]
    fn a_range_across_midnight_is_weighted_by_seconds() {
        assert_eq!(day_weights(82_800, 90_000), vec![(0, 3_600), (1, 3_600)]);
    }

    #[test]
    fn splitting_keeps_the_total_exact() {
        let w = day_weights(0, 7 * DAY);
        let parts = split(10, &w);
        assert_eq!(parts.iter().map(|p| p.1).sum::<u64>(), 10);
        assert_eq!(parts.len(), 7);
        assert_eq!(
            parts.iter().map(|p| p.1).collect::<Vec<_>>(),
            vec![2, 2, 2, 1, 1, 1, 1]
        );
    }

    proptest! {
        #[test]
        fn spreading_any_range_keeps_any_total_exact(
            begin in prop_oneof![
                any::<i64>(),
                (i64::MAX - 100 * DAY)..=i64::MAX,
                i64::MIN..(i64::MIN + 100 * DAY),
            ],
            end in any::<i64>(),
            relative in any::<bool>(),
            total in prop_oneof![any::<u64>(), Just(u64::MAX), 0u64..1000],
        ) {
            // `end` either anywhere, or a realistic span of up to 70 days after `begin`.
            let end = if relative { begin.saturating_add(end.rem_euclid(70 * DAY)) } else { end };
            let weights = day_weights(begin, end);
            prop_assert!(!weights.is_empty());
            prop_assert!(weights.iter().all(|&(_, w)| w >= 1));
            let parts = split(total, &weights);
            prop_assert_eq!(parts.len(), weights.len());
            let sum: u128 = parts.iter().map(|p| u128::from(p.1)).sum();
            prop_assert_eq!(sum, u128::from(total));
        }
    }

    #[test]
    fn ranges_at_the_ends_of_i64_are_one_day_each() {
        for (begin, end) in [
            (i64::MIN, i64::MAX),
            (i64::MAX, i64::MAX),
            (i64::MIN, i64::MIN),
            (i64::MAX - 10, i64::MAX),
            (i64::MIN, i64::MIN + 10),
        ] {
            let w = day_weights(begin, end);
            assert_eq!(w.len(), 1, "{begin}..{end}");
            assert_eq!(split(u64::MAX, &w)[0].1, u64::MAX);
        }
        let w = day_weights(i64::MAX - 2 * DAY, i64::MAX);
        let parts = split(u64::MAX, &w);
        assert_eq!(
            parts.iter().map(|p| u128::from(p.1)).sum::<u128>(),
            u128::from(u64::MAX)
        );
    }

    #[test]
    fn absurd_ranges_go_to_the_last_day() {
        assert_eq!(day_weights(0, 1000 * DAY), vec![(999, 1)]);
        assert_eq!(day_weights(5 * DAY, 5 * DAY), vec![(5, 1)]);
    }

    #[test]
    fn month_starts_follow_the_calendar() {
        // 2026-12-06 is epoch day 20_793; 2026-12-01 is 20_788; 2027-01-01 is 20_819.
        assert_eq!(month_start(20_793), 20_788);
        assert_eq!(month_start(20_788), 20_788);
        assert_eq!(next_month_start(20_793), 20_819);
        // 2024-02-29 (leap day) is 19_782; February 2024 starts at 19_754, March at 19_783.
        assert_eq!(month_start(19_782), 19_754);
        assert_eq!(next_month_start(19_754), 19_783);
        assert_eq!(month_start(0), 0);
        assert_eq!(month_start(-1), -31);
    }

    #[test]
    fn a_range_splits_into_whole_months_and_edge_days() {
        // 2026-09-07 (20_703) .. 2026-12-05 (20_792): October and November whole.
        let (before, months, after) = months_and_edges(20_703, 20_792);
        assert_eq!(before, Some((20_703, 20_726)));
        assert_eq!(months, Some((20_727, 20_758)));
        assert_eq!(after, Some((20_788, 20_792)));
        // Exactly November 2026.
        assert_eq!(
            months_and_edges(20_758, 20_787),
            (None, Some((20_758, 20_758)), None)
        );
        // Inside one month: all days.
        assert_eq!(
            months_and_edges(20_760, 20_770),
            (Some((20_760, 20_770)), None, None)
        );
        assert_eq!(months_and_edges(5, 4), (None, None, None));
    }

    proptest! {
        #[test]
        fn edges_and_months_cover_a_range_exactly_once(first in -100_000i64..100_000, len in 0i64..800) {
            let last = first + len;
            let (before, months, after) = months_and_edges(first, last);
            let mut covered = Vec::new();
            if let Some((a, b)) = before { covered.extend(a..=b); }
            if let Some((a, b)) = months {
                let mut m = a;
                while m <= b {
                    prop_assert_eq!(month_start(m), m);
                    let next = next_month_start(m);
                    covered.extend(m..next);
                    m = next;
                }
            }
            if let Some((a, b)) = after { covered.extend(a..=b); }
            prop_assert_eq!(covered, (first..=last).collect::<Vec<_>>());
        }
    }
}
