//! Prometheus metrics of this instance: HTTP requests and latencies by route, and reports
//! ingested by kind and outcome. Recorded by every front door, service and job; rendered in
//! the text exposition format by `GET /metrics`.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;

/// Latency buckets in seconds.
const BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

#[derive(Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

#[derive(Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(String, String, u16), u64>>,
    latency: Mutex<BTreeMap<(String, String), Histogram>>,
    reports: Mutex<BTreeMap<(String, String), u64>>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Metrics {
    pub fn observe(&self, method: &str, route: &str, status: u16, seconds: f64) {
        *lock(&self.requests)
            .entry((method.to_string(), route.to_string(), status))
            .or_default() += 1;
        let mut latency = lock(&self.latency);
        let h = latency
            .entry((method.to_string(), route.to_string()))
            .or_default();
        h.count += 1;
        h.sum += seconds;
        for (i, bound) in BUCKETS.iter().enumerate() {
            if seconds <= *bound {
                h.counts[i] += 1;
            }
        }
    }

    /// Counts one report found in an upload: kind `dmarc_aggregate`/`tls_report`/`unknown`,
    /// outcome `stored`/`duplicate`/`conflict`/`rejected`.
    pub fn report(&self, kind: &str, outcome: &str) {
        *lock(&self.reports)
            .entry((kind.to_string(), outcome.to_string()))
            .or_default() += 1;
    }

    pub fn render(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# HELP ruad_http_requests_total HTTP requests by method, route and status."
        );
        let _ = writeln!(out, "# TYPE ruad_http_requests_total counter");
        for ((method, route, status), n) in lock(&self.requests).iter() {
            let _ = writeln!(
                out,
                "ruad_http_requests_total{{method=\"{method}\",route=\"{route}\",status=\"{status}\"}} {n}"
            );
        }
        let _ = writeln!(
            out,
            "# HELP ruad_http_request_duration_seconds HTTP request latency."
        );
        let _ = writeln!(out, "# TYPE ruad_http_request_duration_seconds histogram");
        for ((method, route), h) in lock(&self.latency).iter() {
            for (i, bound) in BUCKETS.iter().enumerate() {
                let _ = writeln!(
                    out,
                    "ruad_http_request_duration_seconds_bucket{{method=\"{method}\",route=\"{route}\",le=\"{bound}\"}} {}",
                    h.counts[i]
                );
            }
            let _ = writeln!(
                out,
                "ruad_http_request_duration_seconds_bucket{{method=\"{method}\",route=\"{route}\",le=\"+Inf\"}} {}",
                h.count
            );
            let _ = writeln!(
                out,
                "ruad_http_request_duration_seconds_sum{{method=\"{method}\",route=\"{route}\"}} {}",
                h.sum
            );
            let _ = writeln!(
                out,
                "ruad_http_request_duration_seconds_count{{method=\"{method}\",route=\"{route}\"}} {}",
                h.count
            );
        }
        let _ = writeln!(
            out,
            "# HELP ruad_reports_ingested_total Reports found in uploads by kind and outcome."
        );
        let _ = writeln!(out, "# TYPE ruad_reports_ingested_total counter");
        for ((kind, outcome), n) in lock(&self.reports).iter() {
            let _ = writeln!(
                out,
                "ruad_reports_ingested_total{{kind=\"{kind}\",outcome=\"{outcome}\"}} {n}"
            );
        }
        out
    }
}
