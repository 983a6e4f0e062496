//! Per-day attribution: a report covering several UTC days has its counts spread over those
//! days in proportion to the time covered, with largest-remainder rounding so totals stay
//! exact.

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
    let stop = if end > begin { end } else { begin + 1 };
    let first = begin.div_euclid(DAY);
    let last = (stop - 1).div_euclid(DAY);
    if last - first + 1 > MAX_SPREAD_DAYS {
        return vec![(last, 1)];
    }
    (first..=last)
        .map(|day| {
            let from = begin.max(day * DAY);
            let to = stop.min((day + 1) * DAY);
            (day, (to - from).max(1))
        })
        .collect()
}

/// Splits `total` over `weights` so the parts sum to `total` exactly (largest remainder).
pub fn split(total: u64, weights: &[(i64, i64)]) -> Vec<(i64, u64)> {
    if weights.len() <= 1 {
        return weights.iter().map(|&(day, _)| (day, total)).collect();
    }
    let sum: i128 = weights.iter().map(|&(_, w)| i128::from(w)).sum();
    let mut parts: Vec<(i64, u64, i128)> = weights
        .iter()
        .map(|&(day, w)| {
            let exact = i128::from(total) * i128::from(w);
            (day, u64::try_from(exact / sum).unwrap_or(0), exact % sum)
        })
        .collect();
    let assigned: u64 = parts.iter().map(|p| p.1).sum();
    let mut left = total - assigned;
    let mut order: Vec<usize> = (0..parts.len()).collect();
    // Largest remainder first; ties go to the earlier day.
    order.sort_by(|&a, &b| parts[b].2.cmp(&parts[a].2).then(a.cmp(&b)));
    for i in order {
        if left == 0 {
            break;
        }
        parts[i].1 += 1;
        left -= 1;
    }
    parts.into_iter().map(|(day, n, _)| (day, n)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn absurd_ranges_go_to_the_last_day() {
        assert_eq!(day_weights(0, 1000 * DAY), vec![(999, 1)]);
        assert_eq!(day_weights(5 * DAY, 5 * DAY), vec![(5, 1)]);
    }
}
