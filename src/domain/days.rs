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
}
