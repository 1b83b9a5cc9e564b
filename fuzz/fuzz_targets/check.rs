//! Any text through parse → decode → validate: never panics, and every diagnostic is located inside the
//! input (a line that exists, a column ≥ 1).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let checked = lifecycle::check(&text);
    // Lines as YAML counts them: `\n`, `\r\n` and a lone `\r` each end one.
    let lines = text.replace("\r\n", "\n").replace('\r', "\n").split('\n').count() as u32;
    for d in &checked.diagnostics {
        assert!(d.line >= 1 && d.line <= lines, "diagnostic outside the input: {d}");
        assert!(d.column >= 1, "column 0: {d}");
    }
});
