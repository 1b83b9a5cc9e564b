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
    /// The nearest whole millisecond to `t` seconds (0 for negative or NaN): undoes
    /// [`as_secs_f64`](Ms::as_secs_f64) exactly, since the trace's times are whole milliseconds.
    pub fn from_secs_f64(t: f64) -> Ms {
        Ms((t * 1000.0).round() as u64)
    }
    /// Seconds as the shortest decimal, `3`, `1.5`, `0.25`: the text Rust's `{}` gives for
    /// [`as_secs_f64`](Ms::as_secs_f64), printed from the integer so that it stays exact past 4.5e12 s,
    /// where an f64 no longer holds every millisecond.
    pub fn secs_text(self) -> String {
        format!("{}{}", self.0 / 1000, fraction(self.0 % 1000))
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
        write!(f, "{}s", self.secs_text())
    }
}

/// Milliseconds as the decimal part of a second without trailing zeros (`.5`, `.25`, `.125`), or
/// nothing for none; integer formatting only.
fn fraction(ms: u64) -> String {
    if ms == 0 {
        return String::new();
    }
    format!(".{ms:03}").trim_end_matches('0').to_string()
}

/// A duration as Go prints it (`10s`, `5m0s`, `1h0m0s`), for kubelet messages.
pub fn go_duration(d: Ms) -> String {
    let s = d.0 / 1000;
    let frac = fraction(d.0 % 1000);
    if s < 60 {
        format!("{s}{frac}s")
    } else if s < 3600 {
        format!("{}m{}{frac}s", s / 60, s % 60)
    } else {
        format!("{}h{}m{}{frac}s", s / 3600, (s % 3600) / 60, s % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secs_text_is_the_float_display() {
        let big = [
            86_400_000,
            315_360_000_000,
            999_999_999_999_999,
            4_503_599_627_370_495,
        ];
        for ms in (0..20_000).chain(big).chain(big.map(|b| b - 1)) {
            let t = Ms(ms).as_secs_f64();
            assert_eq!(Ms(ms).secs_text(), format!("{t}"), "{ms} ms");
            assert_eq!(Ms::from_secs_f64(t), Ms(ms));
        }
    }
}
