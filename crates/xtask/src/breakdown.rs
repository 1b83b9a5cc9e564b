//! What each crate contributes to the playground's wasm: the part of `cargo xtask bench` that says where
//! to cut (issue 6 asks for a twiggy- or cargo-bloat-style breakdown).
//!
//! The shipped wasm has no names left, so this builds it again with symbol names (`v0` mangling, into
//! its own target directory so the shipped build is not rebuilt), keeps them through `wasm-bindgen
//! --keep-debug` and `wasm-opt -Oz -g`, and then reads the result itself: the code section gives each
//! function's size, the `name` section its name, the name its crates. No tool to install: the wasm
//! format needs only LEB128 and section walking.
//!
//! A function is counted for the first of our crates its name mentions (web, share, lifecycle), else the
//! first library in [`CRATES`]: `drop_in_place::<web::State>` is the playground's cost, not core's.

use crate::tools::{cargo, run, WASM_TARGET};
use anyhow::{bail, Context, Result};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

/// Crates in the order a function is attributed to them (ours first).
const CRATES: [&str; 16] = [
    "podstep_web",
    "web",
    "share",
    "lifecycle",
    "yew",
    "gloo_events",
    "gloo_timers",
    "gloo_utils",
    "wasm_bindgen_futures",
    "wasm_bindgen",
    "js_sys",
    "web_sys",
    "dlmalloc",
    "hashbrown",
    "alloc",
    "core",
];

pub fn bench_crates(root: &Path, target_dir: &Path) -> Result<String> {
    println!("\n==> what each crate contributes to the wasm");
    let names_dir = target_dir.join("breakdown");
    run(cargo()
        .args([
            "build",
            "-p",
            "web",
            "--bin",
            "podstep-web",
            "--release",
            "--target",
        ])
        .arg(WASM_TARGET)
        .arg("--target-dir")
        .arg(&names_dir)
        .env("RUSTFLAGS", "-Csymbol-mangling-version=v0")
        .current_dir(root))?;
    let built = names_dir.join(WASM_TARGET).join("release/podstep-web.wasm");
    let out = names_dir.join("bindgen");
    run(Command::new("wasm-bindgen")
        .args(["--target", "web", "--keep-debug", "--out-dir"])
        .arg(&out)
        .arg(&built))?;
    let named = out.join("podstep-web_named.wasm");
    run(Command::new("wasm-opt")
        .args(["-Oz", "-g"])
        .arg(out.join("podstep-web_bg.wasm"))
        .arg("-o")
        .arg(&named))?;
    let bytes = std::fs::read(&named).with_context(|| format!("cannot read {named:?}"))?;
    let sizes = crate_sizes(&bytes)?;
    let total: u64 = sizes.values().sum();
    let mut rows: Vec<(&String, &u64)> = sizes.iter().collect();
    rows.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let mut report = format!(
        "{:<22} {:>10} {:>7}   (after wasm-opt -Oz, before compression; names kept)\n",
        "wasm by crate", "raw", "share"
    );
    for (name, size) in rows {
        let _ = writeln!(
            report,
            "{name:<22} {:>10} {:>6.1}%",
            format!("{:.1} KiB", *size as f64 / 1024.0),
            *size as f64 * 100.0 / total.max(1) as f64
        );
    }
    print!("{report}");
    Ok(report)
}

/// Bytes of code per crate, plus `(read-only data)` for the data segments. Other sections (names,
/// types, tables) are left out: they are either stripped from the shipped file or small.
fn crate_sizes(wasm: &[u8]) -> Result<BTreeMap<String, u64>> {
    let mut r = Reader { b: wasm, at: 8 };
    if wasm.get(..4) != Some(b"\0asm") {
        bail!("not a wasm module");
    }
    let mut imported_functions = 0u32;
    let mut bodies: Vec<u64> = Vec::new();
    let mut names: BTreeMap<u32, String> = BTreeMap::new();
    let mut data = 0u64;
    while r.at < wasm.len() {
        let id = r.byte()?;
        let len = r.leb()? as usize;
        let end = r.at + len;
        let mut s = Reader {
            b: wasm.get(..end).context("section past the end")?,
            at: r.at,
        };
        match id {
            // Imports: functions imported take the first indices.
            2 => {
                for _ in 0..s.leb()? {
                    s.name()?;
                    s.name()?;
                    match s.byte()? {
                        0 => {
                            s.leb()?;
                            imported_functions += 1;
                        }
                        1 => {
                            s.byte()?;
                            s.limits()?;
                        }
                        2 => s.limits()?,
                        3 => {
                            s.byte()?;
                            s.byte()?;
                        }
                        4 => {
                            s.byte()?;
                            s.leb()?;
                        }
                        kind => bail!("unknown import kind {kind}"),
                    }
                }
            }
            10 => {
                for _ in 0..s.leb()? {
                    let size = s.leb()?;
                    bodies.push(size);
                    s.at += size as usize;
                }
            }
            11 => data += len as u64,
            0 if s.name()? == "name" => {
                while s.at < end {
                    let sub = s.byte()?;
                    let sub_len = s.leb()? as usize;
                    let sub_end = s.at + sub_len;
                    if sub == 1 {
                        for _ in 0..s.leb()? {
                            let index = s.leb()? as u32;
                            names.insert(index, s.name()?.to_string());
                        }
                    }
                    s.at = sub_end;
                }
            }
            _ => {}
        }
        r.at = end;
    }
    let mut sizes: BTreeMap<String, u64> = BTreeMap::new();
    for (i, size) in bodies.iter().enumerate() {
        let name = names
            .get(&(imported_functions + i as u32))
            .map_or("", String::as_str);
        *sizes.entry(crate_of(name).to_string()).or_default() += size;
    }
    sizes.insert("(read-only data)".into(), data);
    Ok(sizes)
}

/// The crate a function is counted for, from its name.
fn crate_of(name: &str) -> &'static str {
    let crates = crates_named(name);
    CRATES
        .iter()
        .find(|c| crates.contains(c))
        .map_or("(other)", |c| match *c {
            "podstep_web" => "web",
            c => c,
        })
}

/// Every crate a function's name mentions. The `name` section holds demangled names: with `v0`
/// mangling each crate is written with its hash (`lifecycle[8a2f…]::yaml::Reader`); std's precompiled
/// code is named the legacy way (`core::fmt::write`), where any segment before `::` may be one.
fn crates_named(name: &str) -> Vec<&str> {
    let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut found = Vec::new();
    let mut rest = name;
    while let Some(open) = rest.find('[') {
        let before = &rest[..open];
        let ident = &before[before.rfind(|c| !is_ident(c)).map_or(0, |i| i + 1)..];
        let hash = rest[open + 1..].split(']').next().unwrap_or("");
        if !ident.is_empty() && !hash.is_empty() && hash.bytes().all(|c| c.is_ascii_hexdigit()) {
            found.push(ident);
        }
        rest = &rest[open + 1..];
    }
    if found.is_empty() {
        found.extend(name.split("::").filter_map(|segment| {
            let start = segment.rfind(|c| !is_ident(c)).map_or(0, |i| i + 1);
            Some(&segment[start..]).filter(|s| !s.is_empty())
        }));
    }
    found
}

/// A cursor over wasm bytes.
struct Reader<'a> {
    b: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn byte(&mut self) -> Result<u8> {
        let v = *self.b.get(self.at).context("wasm ends early")?;
        self.at += 1;
        Ok(v)
    }

    fn leb(&mut self) -> Result<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.byte()?;
            v |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(v);
            }
        }
        bail!("LEB128 number too long")
    }

    fn name(&mut self) -> Result<&str> {
        let len = self.leb()? as usize;
        let bytes = self
            .b
            .get(self.at..self.at + len)
            .context("name past the end")?;
        self.at += len;
        std::str::from_utf8(bytes).context("name is not UTF-8")
    }

    fn limits(&mut self) -> Result<()> {
        let flags = self.byte()?;
        self.leb()?;
        if flags & 1 != 0 {
            self.leb()?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn functions_are_counted_for_our_crates_first() {
        assert_eq!(
            crate_of("<lifecycle[8a2f]::yaml::Reader>::node"),
            "lifecycle"
        );
        // The playground's cost, not core's.
        assert_eq!(
            crate_of("core[4d1c]::ptr::drop_in_place::<web[77ab]::state::State>"),
            "web"
        );
        assert_eq!(
            crate_of("<yew[1a]::html::component::lifecycle::CompStateInner<web[2b]::components::app::App> as yew[1a]::html::component::lifecycle::Stateful>::view"),
            "web"
        );
        // Named the legacy way (std's precompiled code).
        assert_eq!(crate_of("core::fmt::write::h0123456789abcdef"), "core");
        assert_eq!(crate_of("alloc::raw_vec::finish_grow"), "alloc");
        assert_eq!(crate_of("__wbindgen_malloc"), "(other)");
    }

    #[test]
    fn a_module_is_walked() {
        // A module with one imported function, two bodies of 3 and 5 bytes, 4 bytes of data, and
        // names for both bodies.
        let mut m = b"\0asm\x01\0\0\0".to_vec();
        m.extend([2, 7, 1, 1, b'm', 1, b'f', 0, 0]);
        m.extend([10, 11, 2, 3, 0, 0, 0x0b, 5, 0, 0, 0, 0, 0x0b]);
        m.extend([11, 4, 0, 0, 0, 0]);
        let mut names = vec![1u8, 0, 2, 1];
        let a = b"core::a::b";
        names.push(a.len() as u8);
        names.extend(a);
        names.push(2);
        let b = b"web[1f]::c";
        names.push(b.len() as u8);
        names.extend(b);
        names[1] = (names.len() - 2) as u8;
        let mut custom = vec![4u8];
        custom.extend(b"name");
        custom.extend(&names);
        m.push(0);
        m.push(custom.len() as u8);
        m.extend(custom);
        let sizes = crate_sizes(&m).unwrap();
        assert_eq!(sizes.get("core"), Some(&3));
        assert_eq!(sizes.get("web"), Some(&5));
        assert_eq!(sizes.get("(read-only data)"), Some(&4));
    }
}
