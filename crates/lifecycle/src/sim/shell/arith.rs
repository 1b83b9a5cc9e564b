//! Shell arithmetic (`$((…))`, `((…))`, `let`, `for ((…))`): 64-bit integers that wrap, C operators
//! and precedence, variables by name (unset or non-numeric ones are 0), assignments and `++`/`--`.
//! Division by zero and syntax errors are errors, never panics.

/// Where arithmetic reads and writes variables.
pub(super) trait Vars {
    fn get(&mut self, name: &str) -> Option<String>;
    fn set(&mut self, name: &str, value: i64);
}

#[derive(Clone, Debug, PartialEq)]
enum T {
    Num(i64),
    Name(String),
    Op(&'static str),
}

const OPS: &[&str] = &[
    "<<=", ">>=", "**", "++", "--", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "+=", "-=",
    "*=", "/=", "%=", "&=", "|=", "^=", "+", "-", "*", "/", "%", "<", ">", "&", "|", "^", "!", "~",
    "?", ":", "=", "(", ")", ",",
];

fn lex(src: &str) -> Result<Vec<T>, String> {
    let c: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < c.len() {
        let ch = c[i];
        if ch.is_whitespace() {
            i += 1;
        } else if ch.is_ascii_digit() {
            let start = i;
            while i < c.len() && (c[i].is_ascii_alphanumeric() || c[i] == '#') {
                i += 1;
            }
            let s: String = c[start..i].iter().collect();
            out.push(T::Num(
                number(&s).ok_or_else(|| format!("{s}: bad number"))?,
            ));
        } else if ch.is_ascii_alphabetic() || ch == '_' {
            let start = i;
            while i < c.len() && (c[i].is_ascii_alphanumeric() || c[i] == '_') {
                i += 1;
            }
            out.push(T::Name(c[start..i].iter().collect()));
        } else {
            let rest: String = c[i..(i + 3).min(c.len())].iter().collect();
            let op = OPS
                .iter()
                .find(|o| rest.starts_with(**o))
                .ok_or_else(|| format!("syntax error: `{ch}`"))?;
            i += op.len();
            out.push(T::Op(op));
        }
    }
    Ok(out)
}

/// An integer literal: decimal, `0x` hex, leading-zero octal, `BASE#digits`.
fn number(s: &str) -> Option<i64> {
    if let Some(h) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        return u64::from_str_radix(h, 16).ok().map(|v| v as i64);
    }
    if let Some((base, digits)) = s.split_once('#') {
        let base: u32 = base.parse().ok().filter(|b| (2..=36).contains(b))?;
        return u64::from_str_radix(digits, base).ok().map(|v| v as i64);
    }
    if s.len() > 1 && s.starts_with('0') {
        return u64::from_str_radix(&s[1..], 8).ok().map(|v| v as i64);
    }
    s.parse::<u64>().ok().map(|v| v as i64)
}

struct P<'a> {
    t: Vec<T>,
    i: usize,
    vars: &'a mut dyn Vars,
    depth: usize,
}

/// Evaluates `src`.
pub(super) fn eval(src: &str, vars: &mut dyn Vars) -> Result<i64, String> {
    let t = lex(src)?;
    if t.is_empty() {
        return Ok(0);
    }
    let mut p = P {
        t,
        i: 0,
        vars,
        depth: 0,
    };
    let v = p.comma(true)?;
    if p.i < p.t.len() {
        return Err(format!("syntax error in `{src}`"));
    }
    Ok(v)
}

fn prec(op: &str) -> Option<u8> {
    Some(match op {
        "||" => 1,
        "&&" => 2,
        "|" => 3,
        "^" => 4,
        "&" => 5,
        "==" | "!=" => 6,
        "<" | ">" | "<=" | ">=" => 7,
        "<<" | ">>" => 8,
        "+" | "-" => 9,
        "*" | "/" | "%" => 10,
        "**" => 11,
        _ => return None,
    })
}

fn binary(op: &str, a: i64, b: i64) -> Result<i64, String> {
    Ok(match op {
        "||" => i64::from(a != 0 || b != 0),
        "&&" => i64::from(a != 0 && b != 0),
        "|" => a | b,
        "^" => a ^ b,
        "&" => a & b,
        "==" => i64::from(a == b),
        "!=" => i64::from(a != b),
        "<" => i64::from(a < b),
        ">" => i64::from(a > b),
        "<=" => i64::from(a <= b),
        ">=" => i64::from(a >= b),
        "<<" => a.wrapping_shl((b & 63) as u32),
        ">>" => a.wrapping_shr((b & 63) as u32),
        "+" => a.wrapping_add(b),
        "-" => a.wrapping_sub(b),
        "*" => a.wrapping_mul(b),
        "/" | "%" if b == 0 => return Err("division by 0".into()),
        "/" => a.wrapping_div(b),
        "%" => a.wrapping_rem(b),
        "**" if b < 0 => return Err("exponent less than 0".into()),
        "**" => a.wrapping_pow(b.min(u32::MAX as i64) as u32),
        _ => return Err(format!("unknown operator `{op}`")),
    })
}

impl P<'_> {
    fn peek_op(&self) -> Option<&'static str> {
        match self.t.get(self.i) {
            Some(T::Op(o)) => Some(o),
            _ => None,
        }
    }

    fn var(&mut self, name: &str) -> Result<i64, String> {
        let v = self.vars.get(name).unwrap_or_default();
        let v = v.trim();
        if v.is_empty() {
            return Ok(0);
        }
        if let Some(n) = v.strip_prefix('-').and_then(number) {
            return Ok(n.wrapping_neg());
        }
        Ok(number(v.trim_start_matches('+')).unwrap_or(0))
    }

    fn comma(&mut self, live: bool) -> Result<i64, String> {
        let mut v = self.assign(live)?;
        while self.peek_op() == Some(",") {
            self.i += 1;
            v = self.assign(live)?;
        }
        Ok(v)
    }

    fn assign(&mut self, live: bool) -> Result<i64, String> {
        self.depth += 1;
        if self.depth > 128 {
            return Err("expression nested too deeply".into());
        }
        let r = self.assign_inner(live);
        self.depth -= 1;
        r
    }

    fn assign_inner(&mut self, live: bool) -> Result<i64, String> {
        if let (Some(T::Name(n)), Some(T::Op(op))) = (self.t.get(self.i), self.t.get(self.i + 1)) {
            if op.ends_with('=') && !matches!(*op, "==" | "!=" | "<=" | ">=") {
                let (name, op) = (n.clone(), *op);
                self.i += 2;
                let rhs = self.assign(live)?;
                let v = if op == "=" {
                    rhs
                } else {
                    let cur = self.var(&name)?;
                    binary(&op[..op.len() - 1], cur, rhs)?
                };
                if live {
                    self.vars.set(&name, v);
                }
                return Ok(v);
            }
        }
        self.ternary(live)
    }

    fn ternary(&mut self, live: bool) -> Result<i64, String> {
        let c = self.bin(1, live)?;
        if self.peek_op() != Some("?") {
            return Ok(c);
        }
        self.i += 1;
        let a = self.assign(live && c != 0)?;
        if self.peek_op() != Some(":") {
            return Err("expected `:`".into());
        }
        self.i += 1;
        let b = self.assign(live && c == 0)?;
        Ok(if c != 0 { a } else { b })
    }

    fn bin(&mut self, min: u8, live: bool) -> Result<i64, String> {
        let mut lhs = self.unary(live)?;
        while let Some(op) = self.peek_op() {
            let Some(p) = prec(op) else { break };
            if p < min {
                break;
            }
            self.i += 1;
            let right_live = live
                && match op {
                    "&&" => lhs != 0,
                    "||" => lhs == 0,
                    _ => true,
                };
            // `**` is right-associative.
            let next = if op == "**" { p } else { p + 1 };
            let rhs = self.bin(next, right_live)?;
            lhs = if right_live || !matches!(op, "&&" | "||") {
                match binary(op, lhs, rhs) {
                    Err(_) if !live => 0,
                    r => r?,
                }
            } else {
                i64::from(op == "||")
            };
        }
        Ok(lhs)
    }

    fn unary(&mut self, live: bool) -> Result<i64, String> {
        self.depth += 1;
        if self.depth > 128 {
            return Err("expression nested too deeply".into());
        }
        let r = self.unary_inner(live);
        self.depth -= 1;
        r
    }

    fn unary_inner(&mut self, live: bool) -> Result<i64, String> {
        match self.t.get(self.i).cloned() {
            Some(T::Op(op @ ("++" | "--"))) => {
                self.i += 1;
                let Some(T::Name(n)) = self.t.get(self.i).cloned() else {
                    return Err(format!("`{op}` needs a variable"));
                };
                self.i += 1;
                let v = self.var(&n)?;
                let v = if op == "++" {
                    v.wrapping_add(1)
                } else {
                    v.wrapping_sub(1)
                };
                if live {
                    self.vars.set(&n, v);
                }
                Ok(v)
            }
            Some(T::Op("-")) => {
                self.i += 1;
                Ok(self.unary(live)?.wrapping_neg())
            }
            Some(T::Op("+")) => {
                self.i += 1;
                self.unary(live)
            }
            Some(T::Op("!")) => {
                self.i += 1;
                Ok(i64::from(self.unary(live)? == 0))
            }
            Some(T::Op("~")) => {
                self.i += 1;
                Ok(!self.unary(live)?)
            }
            Some(T::Op("(")) => {
                self.i += 1;
                let v = self.comma(live)?;
                if self.peek_op() != Some(")") {
                    return Err("expected `)`".into());
                }
                self.i += 1;
                Ok(v)
            }
            Some(T::Num(n)) => {
                self.i += 1;
                Ok(n)
            }
            Some(T::Name(n)) => {
                self.i += 1;
                let v = self.var(&n)?;
                if let Some(op @ ("++" | "--")) = self.peek_op() {
                    self.i += 1;
                    let nv = if op == "++" {
                        v.wrapping_add(1)
                    } else {
                        v.wrapping_sub(1)
                    };
                    if live {
                        self.vars.set(&n, nv);
                    }
                }
                Ok(v)
            }
            _ => Err("syntax error: operand expected".into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    impl Vars for BTreeMap<String, String> {
        fn get(&mut self, name: &str) -> Option<String> {
            BTreeMap::get(self, name).cloned()
        }
        fn set(&mut self, name: &str, value: i64) {
            self.insert(name.into(), value.to_string());
        }
    }

    #[test]
    fn arithmetic() {
        let mut v = BTreeMap::from([("i".to_string(), "4".to_string())]);
        for (src, want) in [
            ("1 + 2 * 3", Ok(7)),
            ("(1 + 2) * 3", Ok(9)),
            ("i * 2", Ok(8)),
            ("i > 3 && i < 5", Ok(1)),
            ("7 % 3", Ok(1)),
            ("-7 / 2", Ok(-3)),
            ("2 ** 10", Ok(1024)),
            ("0x10 + 010", Ok(24)),
            ("9223372036854775807 + 1", Ok(i64::MIN)),
            ("(-9223372036854775807 - 1) / -1", Ok(i64::MIN)),
            ("1 / 0", Err("division by 0".to_string())),
            ("0 && 1 / 0", Ok(0)),
            ("i > 9 ? 1 : 2", Ok(2)),
            ("nope", Ok(0)),
            ("1 +", Err("syntax error: operand expected".to_string())),
        ] {
            assert_eq!(eval(src, &mut v), want, "{src}");
        }
        assert_eq!(eval("i++", &mut v), Ok(4));
        assert_eq!(eval("i += 10", &mut v), Ok(15));
        assert_eq!(
            eval(
                "((((((((((((((((((((((((((((((((((1))))))))))))))))))))))))))))))))))",
                &mut v
            ),
            Ok(1)
        );
        assert!(eval(&"(".repeat(500), &mut v).is_err());
    }
}
