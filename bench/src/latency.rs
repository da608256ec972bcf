//! Percentiles of a set of timings.

use std::time::Duration;

/// Latency percentiles of a set of timings.
#[derive(Clone, Copy, Debug)]
pub struct Latency {
    pub p50: Duration,
    pub p99: Duration,
    pub mean: Duration,
}

impl Latency {
    pub fn of(mut times: Vec<Duration>) -> Latency {
        assert!(!times.is_empty(), "no timings");
        times.sort_unstable();
        let at = |q: f64| times[((times.len() as f64 - 1.0) * q).round() as usize];
        let mean = times.iter().sum::<Duration>() / times.len() as u32;
        Latency { p50: at(0.50), p99: at(0.99), mean }
    }
}

/// Milliseconds with three decimals.
pub fn ms(d: Duration) -> String {
    format!("{:.3}", d.as_secs_f64() * 1000.0)
}
