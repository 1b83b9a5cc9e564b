//! Invariants every trace must keep, shared by the fuzz targets.
use lifecycle::sim::Trace;

pub fn check_trace(t: &Trace, until_s: u64) {
    let mut last = 0.0f64;
    let mut terminal: Option<String> = None;
    for s in &t.steps {
        assert!(s.t >= last, "time went back at {:?}", s);
        last = s.t;
        if let Some(p) = &terminal {
            assert_eq!(&s.phase, p, "a terminal phase changed");
        }
        if s.phase == "Succeeded" || s.phase == "Failed" {
            terminal = Some(s.phase.clone());
        }
    }
    assert!(t.end.t <= until_s as f64, "ran past the horizon");
    assert!(["terminal", "steady", "horizon", "limit"].contains(&t.end.why.as_str()));
}
