//! Every input a fuzzer once broke us with, kept and re-checked with the fuzz targets' own invariants.
//! Add a finding as `tests/fuzz-regressions/<target>-<hash>.bin`.

use std::path::Path;

/// Lines as YAML counts them: `\n`, `\r\n` and a lone `\r` each end one.
fn yaml_lines(text: &str) -> u32 {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .split('\n')
        .count() as u32
}

#[test]
fn fuzz_findings_stay_fixed() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).expect("regressions folder") {
        let path = entry.expect("entry").path();
        let bytes = std::fs::read(&path).expect("read");
        let text = String::from_utf8_lossy(&bytes);
        let checked = lifecycle::check(&text);
        let lines = yaml_lines(&text);
        for d in &checked.diagnostics {
            assert!(
                d.line >= 1 && d.line <= lines && d.column >= 1,
                "{}: diagnostic outside the input: {d}",
                path.display()
            );
        }
        let scenario = lifecycle::sim::Scenario {
            until_s: 300,
            ..Default::default()
        };
        for w in checked.workloads.iter().filter(|w| w.errors == 0) {
            let a = lifecycle::sim::simulate(w, &scenario);
            assert_eq!(
                a,
                lifecycle::sim::simulate(w, &scenario),
                "{}: two traces",
                path.display()
            );
        }
        seen += 1;
    }
    assert!(seen >= 2, "the regression inputs are missing");
}
