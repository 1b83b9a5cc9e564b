//! Decimal text to `f64` without core's float parser: [`parse_f64`] gives exactly what `str::parse::<f64>`
//! gives, for every input.
//!
//! Why not `str::parse`: core's parser (Eisel–Lemire with its 10 KB table of powers of five, plus a
//! big-decimal fallback) is about 17 KB of the playground's WebAssembly, 13 KB of it after brotli, and
//! the engine only parses a few numbers (`sleep` durations, and whether a YAML scalar is a number). This
//! file does the same job in well under 2 KB: a fast path for short numbers, where one correctly rounded
//! `f64` multiplication or division is exact, and otherwise exact big-integer arithmetic, slow but rare.

use std::cmp::Ordering;

/// The parts of a decimal number as `str::parse::<f64>` accepts it: `[+-]digits[.digits][(e|E)[+-]digits]`
/// with at least one digit before the exponent, or `inf`, `infinity` or `nan` in any case.
enum Syntax<'a> {
    Decimal {
        int: &'a [u8],
        frac: &'a [u8],
        /// The explicit exponent, which stops growing once it passes 65535, as core's does.
        exp: i64,
    },
    Infinity,
    NaN,
}

/// Whether `text` is a number to `str::parse::<f64>`.
pub fn is_f64(text: &str) -> bool {
    split(text.as_bytes()).is_some()
}

/// `text.parse::<f64>().ok()`, bit for bit (NaN aside, which has no one bit pattern to match).
pub fn parse_f64(text: &str) -> Option<f64> {
    let bytes = text.as_bytes();
    let negative = bytes.first() == Some(&b'-');
    let value = match split(bytes)? {
        Syntax::Decimal { int, frac, exp } => decimal(int, frac, exp),
        Syntax::Infinity => f64::INFINITY,
        Syntax::NaN => f64::NAN,
    };
    Some(if negative { -value } else { value })
}

fn split(bytes: &[u8]) -> Option<Syntax<'_>> {
    let s = match bytes.first()? {
        b'-' | b'+' => &bytes[1..],
        _ => bytes,
    };
    let digits = |from: usize| from + s[from..].iter().take_while(|b| b.is_ascii_digit()).count();
    let int_end = digits(0);
    let (frac, mut i) = match s.get(int_end) {
        Some(b'.') => {
            let end = digits(int_end + 1);
            (&s[int_end + 1..end], end)
        }
        _ => (&s[int_end..int_end], int_end),
    };
    if int_end == 0 && frac.is_empty() {
        return if s.eq_ignore_ascii_case(b"inf") || s.eq_ignore_ascii_case(b"infinity") {
            Some(Syntax::Infinity)
        } else if s.eq_ignore_ascii_case(b"nan") {
            Some(Syntax::NaN)
        } else {
            None
        };
    }
    let mut exp = 0i64;
    if matches!(s.get(i), Some(b'e' | b'E')) {
        i += 1;
        let negative = s.get(i) == Some(&b'-');
        if matches!(s.get(i), Some(b'-' | b'+')) {
            i += 1;
        }
        let end = digits(i);
        if end == i {
            return None;
        }
        for d in &s[i..end] {
            if exp < 0x10000 {
                exp = exp * 10 + i64::from(d - b'0');
            }
        }
        if negative {
            exp = -exp;
        }
        i = end;
    }
    (i == s.len()).then_some(Syntax::Decimal {
        int: &s[..int_end],
        frac,
        exp,
    })
}

/// The `f64` nearest `int.frac × 10^exp` (ties to even), as `str::parse` rounds.
fn decimal(int: &[u8], frac: &[u8], exp: i64) -> f64 {
    // The significant digits, without leading or trailing zeros; the value is digits × 10^e10.
    let all: Vec<u8> = int.iter().chain(frac).copied().collect();
    let first = all.iter().position(|&d| d != b'0').unwrap_or(all.len());
    let last = all
        .iter()
        .rposition(|&d| d != b'0')
        .map_or(first, |i| i + 1);
    let mut digits = &all[first..last];
    let mut e10 = exp - frac.len() as i64 + (all.len() - last) as i64;
    if digits.is_empty() {
        return 0.0;
    }
    // The value is below 10^top and at least 10^(top - 1).
    let top = digits.len() as i64 + e10;
    if top > 310 {
        return f64::INFINITY;
    }
    if top < -324 {
        // Below 10^-325, less than half the smallest subnormal (2^-1074 ≈ 4.9e-324).
        return 0.0;
    }
    // Fast path: up to 15 digits are exact as an f64 and so is 10^k for k ≤ 22, so one IEEE operation,
    // which rounds correctly, gives the nearest f64. `sleep 1.5` and YAML numbers all land here.
    if digits.len() <= 15 && (-22..=22).contains(&e10) {
        let m = digits
            .iter()
            .fold(0u64, |m, &d| m * 10 + u64::from(d - b'0'));
        let pow = (0..e10.abs()).fold(1.0f64, |p, _| p * 10.0);
        return if e10 < 0 {
            m as f64 / pow
        } else {
            m as f64 * pow
        };
    }
    // No f64 and no midpoint between two of them has more than 767 significant digits, so digits past
    // the 800th only matter as "something nonzero follows", which one final 1 stands in for.
    let mut sticky_tail = Vec::new();
    if digits.len() > 800 {
        e10 += digits.len() as i64 - 801;
        sticky_tail.extend_from_slice(&digits[..800]);
        sticky_tail.push(b'1');
        digits = &sticky_tail;
    }
    // value = a / b exactly, with big integers.
    let mut a = Big::default();
    for &d in digits {
        a.mul_add(10, u32::from(d - b'0'));
    }
    let mut b = Big(vec![1]);
    if e10 >= 0 {
        a.mul_pow10(e10 as u32);
    } else {
        b.mul_pow10(e10.unsigned_abs() as u32);
    }
    // Scale so that 1 ≤ a / b < 2; the value is then (a / b) × 2^e2.
    let mut e2 = a.bits() as i64 - b.bits() as i64;
    if e2 > 0 {
        b.shl(e2 as usize);
    } else {
        a.shl(e2.unsigned_abs() as usize);
    }
    if a.cmp(&b) == Ordering::Less {
        a.shl(1);
        e2 -= 1;
    }
    // The result is q × 2^ulp: 53 bits of q for a normal f64, fewer for a subnormal.
    let ulp = (e2 - 52).max(-1074);
    let n_bits = e2 - ulp + 1;
    if n_bits < 0 {
        // Below 2^-1075, half the smallest subnormal.
        return 0.0;
    }
    // Long division, one bit at a time; `a / b` stays in [0, 2).
    let mut q = 0u64;
    for _ in 0..n_bits {
        q <<= 1;
        if a.cmp(&b) != Ordering::Less {
            a.sub(&b);
            q |= 1;
        }
        a.shl(1);
    }
    let half = a.cmp(&b) != Ordering::Less;
    if half {
        a.sub(&b);
    }
    if half && (!a.0.is_empty() || q & 1 == 1) {
        q += 1;
    }
    // With q's leading bit counted as the exponent's low bit, adding q also carries a rounded-up
    // 2^53 (or a subnormal rounded up to 2^52) into the exponent field correctly.
    let bits = (((ulp + 1074) as u64) << 52) + q;
    if bits >= f64::INFINITY.to_bits() {
        f64::INFINITY
    } else {
        f64::from_bits(bits)
    }
}

/// An unsigned big integer, 32-bit limbs, least significant first, no zero limbs at the top.
#[derive(Default)]
struct Big(Vec<u32>);

impl Big {
    /// self = self × m + add.
    fn mul_add(&mut self, m: u32, add: u32) {
        let mut carry = u64::from(add);
        for limb in &mut self.0 {
            let t = u64::from(*limb) * u64::from(m) + carry;
            *limb = t as u32;
            carry = t >> 32;
        }
        if carry > 0 {
            self.0.push(carry as u32);
        }
    }

    fn mul_pow10(&mut self, mut k: u32) {
        while k > 0 {
            let step = k.min(9);
            self.mul_add(10u32.pow(step), 0);
            k -= step;
        }
    }

    fn bits(&self) -> usize {
        self.0
            .last()
            .map_or(0, |top| self.0.len() * 32 - top.leading_zeros() as usize)
    }

    fn shl(&mut self, n: usize) {
        if self.0.is_empty() {
            return;
        }
        let bits = n % 32;
        if bits > 0 {
            let mut carry = 0u32;
            for limb in &mut self.0 {
                let t = (u64::from(*limb) << bits) | u64::from(carry);
                *limb = t as u32;
                carry = (t >> 32) as u32;
            }
            if carry > 0 {
                self.0.push(carry);
            }
        }
        if n >= 32 {
            let mut shifted = vec![0; n / 32];
            shifted.extend_from_slice(&self.0);
            self.0 = shifted;
        }
    }

    fn cmp(&self, other: &Big) -> Ordering {
        self.0
            .len()
            .cmp(&other.0.len())
            .then_with(|| self.0.iter().rev().cmp(other.0.iter().rev()))
    }

    /// self -= other, which must not be larger.
    fn sub(&mut self, other: &Big) {
        let mut borrow = false;
        for (i, limb) in self.0.iter_mut().enumerate() {
            let (d, b1) = limb.overflowing_sub(other.0.get(i).copied().unwrap_or(0));
            let (d, b2) = d.overflowing_sub(u32::from(borrow));
            *limb = d;
            borrow = b1 || b2;
        }
        while self.0.last() == Some(&0) {
            self.0.pop();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(text: &str) {
        let ours = parse_f64(text);
        let std = text.parse::<f64>().ok();
        match (ours, std) {
            (Some(a), Some(b)) if a.is_nan() && b.is_nan() => {}
            (Some(a), Some(b)) => assert_eq!(a.to_bits(), b.to_bits(), "{text:?}: {a:e} vs {b:e}"),
            _ => assert_eq!(ours.is_some(), std.is_some(), "{text:?}"),
        }
    }

    #[test]
    fn syntax_and_specials() {
        for t in [
            "", "+", "-", ".", "e5", ".e5", "1e", "1e+", "1.e5", ".5", "5.", "+.5", "-5.", "1_0",
            " 1", "1 ", "0x10", "inf", "-inf", "+INF", "Infinity", "iNfInItY", "infinit", "nan",
            "NaN", "-nan", "+nan", "nan1", "infx", "1e-0", "1E+3", "00012", "0.000", "-0",
            "-0.0e-9", "1e5.", "1..2", "1.2.3", "١", "½",
        ] {
            same(t);
        }
    }

    #[test]
    fn hard_values() {
        for t in [
            "1.0005",
            "0.0005",
            "2.5",
            "9007199254740993",
            "9007199254740993.0000000000000000000000000001",
            "1.7976931348623157e308",
            "1.7976931348623158e308",
            "1.797693134862315807937289714053e308",
            "1.797693134862315808e308",
            "1e309",
            "4.9406564584124654e-324",
            "2.4703282292062327e-324",
            "2.4703282292062328e-324",
            "2.2250738585072011e-308",
            "2.2250738585072012e-308",
            "1e-400",
            "1e99999999999999",
            "1e-99999999999999",
            "0.0000000000000000000000000000000000000000000000001e50",
            "123456789012345678901234567890",
            "0.1",
            "0.3",
            "100000000000000000000000",
            "1e23",
            "8.98846567431158e307",
        ] {
            same(t);
        }
        // A midpoint followed by 800 zeros and then a one: only the final digit decides.
        let mut t = "9007199254740993".to_string();
        t.push('.');
        t.extend(std::iter::repeat_n('0', 800));
        t.push('1');
        same(&t);
        same(&t[..t.len() - 1]);
    }

    /// The exact decimal text of k / 2^s, by schoolbook arithmetic on decimal digits.
    fn exact(k: u64, s: usize) -> String {
        // k × 5^s, most significant digit first, then a point s digits from the right.
        let mut digits: Vec<u32> = k.to_string().bytes().map(|b| u32::from(b - b'0')).collect();
        for _ in 0..s {
            let mut carry = 0;
            for d in digits.iter_mut().rev() {
                let t = *d * 5 + carry;
                *d = t % 10;
                carry = t / 10;
            }
            while carry > 0 {
                digits.insert(0, carry % 10);
                carry /= 10;
            }
        }
        while digits.len() <= s {
            digits.insert(0, 0);
        }
        let text: String = digits.iter().map(|d| char::from(b'0' + *d as u8)).collect();
        let (int, frac) = text.split_at(text.len() - s);
        format!("{int}.{frac}")
    }

    #[test]
    fn midpoints_between_neighbouring_f64s() {
        // An odd k of 54 bits over 2^s lies exactly halfway between two f64s (or two subnormals when
        // s is near 1075 and k is small), where rounding is decided by ties-to-even and by any digit
        // that follows.
        let mut seed = 0x51a3_0d17_u64;
        for round in 0..300 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let (k, s) = if round % 3 == 0 {
                ((seed % 1000) | 1, 1070 + (seed % 6) as usize)
            } else {
                ((seed >> 10) | (1 << 53) | 1, (seed % 130) as usize)
            };
            let mid = exact(k, s);
            same(&mid);
            same(&format!("{mid}0000000000000000000000000001"));
            same(&format!("{mid}{}1", "0".repeat(900)));
            let below = mid.trim_end_matches('5').to_string() + "4999999999999999999999999";
            same(&below);
            same(&format!("{}e-3", mid.replacen('.', "", 1)));
        }
    }

    #[test]
    fn random_numbers_match_std() {
        // A deterministic generator over digit strings, points and exponents, the shapes that matter.
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        for _ in 0..20_000 {
            let mut t = String::new();
            match next(4) {
                0 => t.push('-'),
                1 => t.push('+'),
                _ => {}
            }
            for _ in 0..next(25) {
                t.push((b'0' + next(10) as u8) as char);
            }
            if next(2) == 0 {
                t.push('.');
                for _ in 0..next(25) {
                    t.push((b'0' + next(10) as u8) as char);
                }
            }
            if next(2) == 0 {
                t.push(if next(2) == 0 { 'e' } else { 'E' });
                if next(2) == 0 {
                    t.push('-');
                }
                t.push_str(&next(360).to_string());
            }
            same(&t);
        }
    }
}
