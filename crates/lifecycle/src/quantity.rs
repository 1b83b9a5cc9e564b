//! Kubernetes resource quantities (`500m`, `2Gi`, `1e3`): parsing, adding and printing them back.
//!
//! Values are held exactly as nano-units in an `i128`, which covers every suffix up to `Ei` without
//! floating point, so sums of requests are exact. Printing follows the API server's canonical form
//! (the format of the first operand, the largest suffix that divides evenly).

use std::cmp::Ordering;
use std::fmt;

const NANO: i128 = 1_000_000_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    /// `Ki`, `Mi`, `Gi`…
    BinarySi,
    /// `m`, `k`, `M`, `G`… or no suffix.
    DecimalSi,
    /// `1e3`, `5E-3`.
    DecimalExponent,
}

/// A quantity in nano-units, with the format it was written in.
#[derive(Clone, Copy, Debug)]
pub struct Quantity {
    pub nanos: i128,
    pub format: Format,
}

impl PartialEq for Quantity {
    fn eq(&self, other: &Self) -> bool {
        self.nanos == other.nanos
    }
}
impl Eq for Quantity {}
impl PartialOrd for Quantity {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Quantity {
    fn cmp(&self, other: &Self) -> Ordering {
        self.nanos.cmp(&other.nanos)
    }
}

impl Quantity {
    pub const ZERO: Quantity = Quantity {
        nanos: 0,
        format: Format::DecimalSi,
    };

    /// Parses the API server's quantity syntax; `None` when it is not one. Precision finer than a
    /// nano-unit is rounded up, as the API server rounds up to its own scale.
    pub fn parse(text: &str) -> Option<Quantity> {
        let text = text.trim();
        let (sign, rest) = match text.as_bytes().first()? {
            b'-' => (-1i128, &text[1..]),
            b'+' => (1, &text[1..]),
            _ => (1, text),
        };
        let number_end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let (number, suffix) = rest.split_at(number_end);
        if number.is_empty() || number == "." || number.matches('.').count() > 1 {
            return None;
        }
        let (int_part, frac_part) = number.split_once('.').unwrap_or((number, ""));
        if int_part.len() > 30 || frac_part.len() > 30 {
            return None;
        }
        // mantissa = digits, scale = -frac_len (power of ten)
        let digits: String = format!("{int_part}{frac_part}");
        let mantissa: i128 = if digits.is_empty() {
            0
        } else {
            digits.parse().ok()?
        };
        let mut pow10: i32 = -(frac_part.len() as i32);
        let (mult, format): (i128, Format) = match suffix {
            "" => (1, Format::DecimalSi),
            "Ki" => (1 << 10, Format::BinarySi),
            "Mi" => (1 << 20, Format::BinarySi),
            "Gi" => (1 << 30, Format::BinarySi),
            "Ti" => (1 << 40, Format::BinarySi),
            "Pi" => (1 << 50, Format::BinarySi),
            "Ei" => (1 << 60, Format::BinarySi),
            "n" => (1, Format::DecimalSi).with_pow(&mut pow10, -9),
            "u" => (1, Format::DecimalSi).with_pow(&mut pow10, -6),
            "m" => (1, Format::DecimalSi).with_pow(&mut pow10, -3),
            "k" => (1, Format::DecimalSi).with_pow(&mut pow10, 3),
            "M" => (1, Format::DecimalSi).with_pow(&mut pow10, 6),
            "G" => (1, Format::DecimalSi).with_pow(&mut pow10, 9),
            "T" => (1, Format::DecimalSi).with_pow(&mut pow10, 12),
            "P" => (1, Format::DecimalSi).with_pow(&mut pow10, 15),
            "E" => (1, Format::DecimalSi).with_pow(&mut pow10, 18),
            s if s.starts_with(['e', 'E']) => {
                let exp: i32 = s[1..].parse().ok()?;
                if !(-40..=40).contains(&exp) {
                    return None;
                }
                pow10 += exp;
                (1, Format::DecimalExponent)
            }
            _ => return None,
        };
        // value in nanos = mantissa * mult * 10^(pow10 + 9)
        let exp = pow10 + 9;
        let scaled = mantissa.checked_mul(mult)?;
        let nanos = if exp >= 0 {
            scaled.checked_mul(10i128.checked_pow(exp as u32)?)?
        } else {
            let div = 10i128.checked_pow((-exp) as u32)?;
            (scaled + div - 1) / div
        };
        if nanos > (1i128 << 100) {
            return None;
        }
        Some(Quantity {
            nanos: sign * nanos,
            format,
        })
    }

    pub fn max(self, other: Quantity) -> Quantity {
        if other.nanos > self.nanos {
            other
        } else {
            self
        }
    }
}

/// Sums keep the first operand's format, as the API server's `Quantity.Add` does, and saturate rather
/// than overflow (parsing already caps each value far below the limit).
impl std::ops::Add for Quantity {
    type Output = Quantity;
    fn add(self, other: Quantity) -> Quantity {
        Quantity {
            nanos: self.nanos.saturating_add(other.nanos),
            format: self.format,
        }
    }
}

trait WithPow {
    fn with_pow(self, pow10: &mut i32, by: i32) -> Self;
}
impl WithPow for (i128, Format) {
    fn with_pow(self, pow10: &mut i32, by: i32) -> Self {
        *pow10 += by;
        self
    }
}

/// The canonical form: binary quantities with the largest binary suffix that divides evenly (falling
/// back to decimal when they are not whole), decimal ones with the largest SI suffix down to `n`.
impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.nanos;
        if n == 0 {
            return f.write_str("0");
        }
        let sign = if n < 0 { "-" } else { "" };
        let a = n.abs();
        if self.format == Format::BinarySi && a % NANO == 0 {
            let whole = a / NANO;
            for (suffix, shift) in [
                ("Ei", 60),
                ("Pi", 50),
                ("Ti", 40),
                ("Gi", 30),
                ("Mi", 20),
                ("Ki", 10),
            ] {
                if whole % (1i128 << shift) == 0 {
                    return write!(f, "{sign}{}{suffix}", whole >> shift);
                }
            }
            return write!(f, "{sign}{}", whole);
        }
        for (suffix, pow) in [
            ("E", 27),
            ("P", 24),
            ("T", 21),
            ("G", 18),
            ("M", 15),
            ("k", 12),
            ("", 9),
            ("m", 6),
            ("u", 3),
        ] {
            let unit = 10i128.pow(pow);
            if a % unit == 0 {
                return write!(f, "{sign}{}{suffix}", a / unit);
            }
        }
        write!(f, "{sign}{}n", a)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> String {
        Quantity::parse(s)
            .map(|q| q.to_string())
            .unwrap_or_else(|| "invalid".into())
    }

    #[test]
    fn canonical_forms() {
        assert_eq!(q("500m"), "500m");
        assert_eq!(q("2"), "2");
        assert_eq!(q("2.5"), "2500m");
        assert_eq!(q("2048Mi"), "2Gi");
        assert_eq!(q("1536Mi"), "1536Mi");
        assert_eq!(q("1e3"), "1k");
        assert_eq!(q("0.1"), "100m");
        assert_eq!(q("1G"), "1G");
        assert_eq!(q("12x"), "invalid");
        assert_eq!(q("abc"), "invalid");
        assert_eq!(q(""), "invalid");
        assert_eq!(q("1.2.3"), "invalid");
    }

    #[test]
    fn ordering_ignores_format() {
        assert!(Quantity::parse("1Gi").unwrap() > Quantity::parse("1G").unwrap());
        assert_eq!(
            Quantity::parse("1000m").unwrap(),
            Quantity::parse("1").unwrap()
        );
    }
}
