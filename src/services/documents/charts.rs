//! Charts as SVG: drawn once from the model and used by both renderers (inline in the HTML
//! page, as a vector image in the PDF).
//!
//! Invariants:
//! - Every text of a chart (labels, series names, the description) is XML-escaped.
//! - The drawing is bounded: at most [`MAX_AXIS_LABELS`] axis labels whatever the number of
//!   bars, and a chart of no data is an empty frame, not an error.
//! - Colours come from the model, which only holds `#rrggbb` values.

use super::model::Chart;
use std::fmt::Write;

/// The most labels under the x axis; others are left out evenly.
pub const MAX_AXIS_LABELS: usize = 12;

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 240.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 28.0;
const BOTTOM: f64 = 36.0;

/// Escapes text for XML character data and attribute values.
pub fn escape_xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Characters XML 1.0 forbids are left out.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// A round upper bound for an axis of values up to `max` (1, 2 or 5 times a power of ten).
pub fn nice_max(max: f64) -> f64 {
    if !max.is_finite() || max <= 0.0 {
        return 1.0;
    }
    let mut step = 1.0_f64;
    while step * 10.0 <= max {
        step *= 10.0;
    }
    for m in [1.0, 2.0, 5.0, 10.0] {
        if step * m >= max {
            return step * m;
        }
    }
    step * 10.0
}

/// The chart as a standalone SVG document (stacked bars, one per label).
pub fn svg(chart: &Chart) -> String {
    let n = chart.labels.len().max(1);
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let slot = plot_w / n as f64;
    let bar = (slot * 0.8).max(0.5);
    let mut out = String::with_capacity(4096 + n * 160);
    let _ = write!(
        out,
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" role="img" aria-label="{}" font-family="Inter, Helvetica, Arial, sans-serif" font-size="11">"##,
        escape_xml(&chart.description)
    );
    let _ = write!(out, "<title>{}</title>", escape_xml(&chart.title));
    out.push_str(r##"<rect x="0" y="0" width="100%" height="100%" fill="#ffffff"/>"##);
    // Grid lines and the value axis.
    let ticks = chart.scale_labels.len().max(2) - 1;
    for (i, label) in chart.scale_labels.iter().enumerate() {
        let y = TOP + plot_h - plot_h * i as f64 / ticks as f64;
        let _ = write!(
            out,
            r##"<line x1="{LEFT}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="#d9d9d9" stroke-width="1"/><text x="{:.1}" y="{:.1}" text-anchor="end" fill="#555555">{}</text>"##,
            WIDTH - RIGHT,
            LEFT - 6.0,
            y + 4.0,
            escape_xml(label)
        );
    }
    // Bars, each series stacked on the previous ones.
    let scale = if chart.scale_max > 0.0 {
        plot_h / chart.scale_max
    } else {
        0.0
    };
    for i in 0..chart.labels.len() {
        let x = LEFT + slot * i as f64 + (slot - bar) / 2.0;
        let mut base = TOP + plot_h;
        for series in &chart.series {
            let v = series.values.get(i).copied().unwrap_or(0.0).max(0.0);
            let h = (v * scale).min(base - TOP);
            if h > 0.0 {
                base -= h;
                let _ = write!(
                    out,
                    r##"<rect x="{x:.2}" y="{base:.2}" width="{bar:.2}" height="{h:.2}" fill="{}"/>"##,
                    escape_xml(&series.color)
                );
            }
        }
    }
    // Labels under the axis, evenly thinned.
    let every = chart.labels.len().div_ceil(MAX_AXIS_LABELS).max(1);
    for (i, label) in chart.labels.iter().enumerate().step_by(every) {
        let x = LEFT + slot * i as f64 + slot / 2.0;
        let _ = write!(
            out,
            r##"<text x="{x:.1}" y="{:.1}" text-anchor="middle" fill="#555555">{}</text>"##,
            HEIGHT - BOTTOM + 16.0,
            escape_xml(label)
        );
    }
    // Legend above the plot.
    let mut lx = LEFT;
    for series in &chart.series {
        let _ = write!(
            out,
            r##"<rect x="{lx:.1}" y="8" width="10" height="10" fill="{}"/><text x="{:.1}" y="17" fill="#333333">{}</text>"##,
            escape_xml(&series.color),
            lx + 14.0,
            escape_xml(&series.name)
        );
        lx += 24.0 + 7.0 * series.name.chars().count() as f64;
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::services::documents::model::Series;

    fn chart(n: usize) -> Chart {
        Chart {
            title: "t <b>".into(),
            labels: (0..n).map(|i| format!("d{i}")).collect(),
            series: vec![Series {
                name: "pass & \"fail\"".into(),
                color: "#1f4e79".into(),
                values: (0..n).map(|i| i as f64).collect(),
            }],
            scale_max: nice_max(n as f64),
            scale_labels: vec!["0".into(), "max".into()],
            description: "</svg><script>".into(),
        }
    }

    #[test]
    fn chart_texts_are_escaped() {
        let s = svg(&chart(3));
        assert!(!s.contains("<script>"));
        assert!(s.contains("&lt;/svg&gt;&lt;script&gt;"));
        assert!(s.contains("pass &amp; &quot;fail&quot;"));
        assert_eq!(s.matches("<svg").count(), 1);
    }

    #[test]
    fn a_long_series_has_at_most_twelve_axis_labels() {
        let s = svg(&chart(366));
        let labels = s.matches("text-anchor=\"middle\"").count();
        assert!(labels <= MAX_AXIS_LABELS, "{labels}");
        assert!(labels >= MAX_AXIS_LABELS - 1);
    }

    #[test]
    fn axis_bounds_are_round() {
        assert_eq!(nice_max(0.0), 1.0);
        assert_eq!(nice_max(7.0), 10.0);
        assert_eq!(nice_max(130.0), 200.0);
        assert_eq!(nice_max(4_000.0), 5_000.0);
        assert_eq!(nice_max(10.0), 10.0);
    }
}
