//! Invariants every trace must keep, shared by the fuzz targets.
use lifecycle::sim::status::Phase;
use lifecycle::sim::{Ms, Trace};

pub fn check_trace(t: &Trace, until_s: u64) {
    let mut last = Ms::ZERO;
    let mut terminal: Option<Phase> = None;
    for s in &t.steps {
        assert!(s.t >= last, "time went back at {:?}", s);
        last = s.t;
        if let Some(p) = terminal {
            assert_eq!(s.phase, p, "a terminal phase changed");
        }
        if s.phase.terminal() {
            terminal = Some(s.phase);
        }
    }
    assert!(t.end.t <= until_s as f64, "ran past the horizon");
}
