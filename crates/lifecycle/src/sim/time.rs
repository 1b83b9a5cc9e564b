//! Simulated time: whole milliseconds since the pod was scheduled, in a newtype so that seconds and
//! milliseconds never mix. The engine never reads a clock; its caller advances this.

use std::fmt;
use std::ops::{Add, Sub};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Ms(pub u64);

impl Ms {
    pub const ZERO: Ms = Ms(0);
    pub const fn from_s(s: u64) -> Ms {
        Ms(s.saturating_mul(1000))
    }
    /// Seconds as a float, for the trace's `t` field.
    pub fn as_secs_f64(self) -> f64 {
        self.0 as f64 / 1000.0
    }
    /// Whole seconds, rounded down, as Kubernetes compares elapsed times.
    pub fn whole_s(self) -> u64 {
        self.0 / 1000
    }
    pub fn saturating_sub(self, other: Ms) -> Ms {
        Ms(self.0.saturating_sub(other.0))
    }
}

impl Add for Ms {
    type Output = Ms;
    fn add(self, rhs: Ms) -> Ms {
        Ms(self.0.saturating_add(rhs.0))
    }
}

impl Sub for Ms {
    type Output = Ms;
    fn sub(self, rhs: Ms) -> Ms {
        Ms(self.0.saturating_sub(rhs.0))
    }
}

/// `12s`, `1.5s`: the trace's text form.
impl fmt::Display for Ms {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_multiple_of(1000) {
            write!(f, "{}s", self.0 / 1000)
        } else {
            write!(f, "{}s", self.as_secs_f64())
        }
    }
}

/// A duration as Go prints it (`10s`, `5m0s`, `1h0m0s`), for kubelet messages.
pub fn go_duration(d: Ms) -> String {
    let s = d.0 / 1000;
    let ms = d.0 % 1000;
    let frac = if ms == 0 {
        String::new()
    } else {
        format!(".{:03}", ms).trim_end_matches('0').to_string()
    };
    if s < 60 {
        format!("{s}{frac}s")
    } else if s < 3600 {
        format!("{}m{}{frac}s", s / 60, s % 60)
    } else {
        format!("{}h{}m{}{frac}s", s / 3600, (s % 3600) / 60, s % 60)
    }
}
