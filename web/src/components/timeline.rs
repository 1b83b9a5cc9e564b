//! The timeline: one lane per container (init, sidecar, app groups), segments coloured *and*
//! patterned by state, markers for probe failures, hooks, signals and restarts, pod-wide marks for
//! actions, a time axis in seconds and the cursor. Clicking moves the cursor.
//!
//! Drawn as SVG at the panel's real pixel width (so text is never stretched). The lanes are one
//! memoized component; moving the cursor only redraws the cursor. Geometry comes from attributes only
//! (no inline styles: the Content-Security-Policy forbids them).

use crate::by_id::ById;
use crate::gallery::EXAMPLES;
use crate::markup::{data_attr, num, Attr, Markup};
use crate::session;
use crate::state::{Go, Run};
use crate::timeline::{secs, ticks, Lane, MarkKind, Marker, Seg, Segment, Timeline};
use gloo::events::EventListener;
use lifecycle::spec::ContainerKind;
use lifecycle::Checked;
use std::cell::Cell;
use std::rc::Rc;
use web_sys::{Element, HtmlSelectElement};
use yew::prelude::*;

const AXIS_H: f64 = 26.0;
const POD_ROW_H: f64 = 18.0;
const GROUP_H: f64 = 20.0;
const LANE_H: f64 = 28.0;
const BAR_Y: f64 = 5.0;
const BAR_H: f64 = 16.0;
const RIGHT_PAD: f64 = 14.0;

thread_local! {
    static FIRST_TIMELINE_MARKED: Cell<bool> = const { Cell::new(false) };
}

/// A group of lanes: its kind, its header's y, and (lane index in `timeline.lanes`, lane y) pairs.
type Group = (ContainerKind, f64, Vec<(usize, f64)>);

/// Where everything goes for a given width.
#[derive(Clone, Debug, PartialEq)]
struct Layout {
    width: f64,
    height: f64,
    x0: f64,
    plot_w: f64,
    span_s: f64,
    pod_row: bool,
    groups: Vec<Group>,
}

impl Layout {
    fn new(timeline: &Timeline, width: f64) -> Layout {
        let width = width.max(280.0);
        let x0 = (width * 0.2).clamp(72.0, 170.0);
        let plot_w = (width - x0 - RIGHT_PAD).max(40.0);
        let pod_row = !timeline.pod_markers.is_empty();
        let mut y = AXIS_H + if pod_row { POD_ROW_H } else { 0.0 };
        let mut groups = Vec::new();
        for kind in [
            ContainerKind::Init,
            ContainerKind::Sidecar,
            ContainerKind::App,
        ] {
            let lanes: Vec<usize> = timeline
                .lanes
                .iter()
                .enumerate()
                .filter(|(_, l)| l.kind == kind)
                .map(|(i, _)| i)
                .collect();
            if lanes.is_empty() {
                continue;
            }
            let header = y;
            y += GROUP_H;
            let mut placed = Vec::new();
            for i in lanes {
                placed.push((i, y));
                y += LANE_H;
            }
            groups.push((kind, header, placed));
        }
        Layout {
            width,
            height: y + 6.0,
            x0,
            plot_w,
            span_s: timeline.span_s.max(0.001),
            pod_row,
            groups,
        }
    }

    fn x(&self, t: f64) -> f64 {
        self.x0 + (t / self.span_s).clamp(0.0, 1.0) * self.plot_w
    }

    fn lane_y(&self, lane: usize) -> Option<f64> {
        self.groups
            .iter()
            .flat_map(|(_, _, lanes)| lanes.iter())
            .find(|(i, _)| *i == lane)
            .map(|(_, y)| *y)
    }
}

fn group_title(kind: ContainerKind) -> &'static str {
    match kind {
        ContainerKind::Init => "Init containers",
        ContainerKind::Sidecar => "Sidecars",
        ContainerKind::App => "App containers",
    }
}

fn lane_title(kind: ContainerKind) -> &'static str {
    match kind {
        ContainerKind::Init => "init container",
        ContainerKind::Sidecar => "sidecar",
        ContainerKind::App => "app container",
    }
}

/// The fill of a segment: a pattern for the states that have one, else the class's colour.
fn pattern(seg: Seg) -> Option<&'static str> {
    match seg {
        Seg::Creating => Some("url(#p-creating)"),
        Seg::Starting => Some("url(#p-starting)"),
        Seg::NotReady => Some("url(#p-notready)"),
        Seg::Terminating => Some("url(#p-terminating)"),
        Seg::BackOff => Some("url(#p-backoff)"),
        _ => None,
    }
}

/// The words written inside a segment wide enough for them.
fn segment_text(s: &Segment) -> String {
    match s.seg {
        Seg::Waiting => String::new(),
        Seg::Creating | Seg::Terminating | Seg::BackOff => {
            s.note.clone().unwrap_or_else(|| s.seg.label().to_string())
        }
        Seg::ExitedOk => format!("✓ {}", s.note.as_deref().unwrap_or("exit 0")),
        Seg::ExitedFailed => format!("✗ {}", s.note.as_deref().unwrap_or("failed")),
        Seg::Starting => "starting".into(),
        Seg::NotReady => "not ready".into(),
        Seg::Running | Seg::Ready => s.seg.label().into(),
    }
}

fn truncate(name: &str, max_chars: usize) -> String {
    if name.chars().count() <= max_chars {
        name.to_string()
    } else {
        let mut s: String = name.chars().take(max_chars.saturating_sub(1)).collect();
        s.push('…');
        s
    }
}

/// The patterns the segments and the legend use (ids are shared by every timeline on the page; the
/// definitions are identical).
const DEFS: &str = concat!(
    r#"<defs>"#,
    r#"<pattern id="p-creating" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)">"#,
    r#"<rect class="pbg c-creating" width="6" height="6"/><line class="pfg c-creating" x1="0" y1="0" x2="0" y2="6" stroke-width="2.5"/></pattern>"#,
    r#"<pattern id="p-starting" patternUnits="userSpaceOnUse" width="6" height="6">"#,
    r#"<rect class="pbg c-starting" width="6" height="6"/><circle class="pdot c-starting" cx="3" cy="3" r="1.3"/></pattern>"#,
    r#"<pattern id="p-notready" patternUnits="userSpaceOnUse" width="6" height="5">"#,
    r#"<rect class="pbg c-notready" width="6" height="5"/><line class="pfg c-notready" x1="0" y1="1" x2="6" y2="1" stroke-width="1.6"/></pattern>"#,
    r#"<pattern id="p-terminating" patternUnits="userSpaceOnUse" width="7" height="7">"#,
    r#"<rect class="pbg c-terminating" width="7" height="7"/><path class="pfg c-terminating" d="M0 0L7 7M7 0L0 7" stroke-width="1.2"/></pattern>"#,
    r#"<pattern id="p-backoff" patternUnits="userSpaceOnUse" width="8" height="6">"#,
    r#"<rect class="pbg c-backoff" width="8" height="6"/><path class="pfg c-backoff" d="M0 5L2 1L4 5L6 1L8 5" stroke-width="1.3" fill="none"/></pattern>"#,
    r#"</defs>"#,
);

/// `seg <state class>`: a segment's classes.
fn seg_class(seg: Seg) -> String {
    format!("seg {}", seg.class())
}

/// A small swatch of a state, for the legend.
fn swatch(m: &mut Markup, seg: Seg) {
    m.open(
        "svg",
        &[
            ("class", "swatch"),
            ("width", "26"),
            ("height", "14"),
            ("viewBox", "0 0 26 14"),
            ("aria-hidden", "true"),
        ],
    );
    let class = seg_class(seg);
    let mut attrs: Vec<Attr> = vec![
        ("class", &class),
        ("x", "1"),
        ("y", "1"),
        ("width", "24"),
        ("height", "12"),
        ("rx", "2"),
    ];
    if let Some(fill) = pattern(seg) {
        attrs.push(("fill", fill));
    }
    m.empty("rect", &attrs).close("svg");
}

#[derive(Properties)]
struct BodyProps {
    run: ById<Run>,
    layout: Rc<Layout>,
}

/// The body draws only the run's timeline: the same run (the same allocation) or a new run with an
/// equal timeline (an edit that changed nothing the timeline shows, as most keystrokes) is no reason
/// to write its markup again. Never the whole trace: a derived comparison would walk it.
impl PartialEq for BodyProps {
    fn eq(&self, other: &BodyProps) -> bool {
        (self.run == other.run || self.run.timeline == other.run.timeline)
            && self.layout == other.layout
    }
}

/// Everything but the cursor: redrawn only when the run or the width changes. Markers carry their step
/// in `data-step`; the panel's click handler reads it.
#[component]
fn Body(props: &BodyProps) -> Html {
    body_markup(&props.run.timeline, &props.layout).into_svg()
}

fn body_markup(tl: &Timeline, l: &Layout) -> Markup {
    let max_ticks = ((l.plot_w / 70.0) as usize).max(2);
    let label_chars = (((l.x0 - 14.0) / 7.6) as usize).max(5);
    let bottom = l.height - 4.0;
    let mut m = Markup::new();
    m.open("g", &[("class", "tl-body")]).trusted(DEFS);
    m.open("g", &[("class", "axis"), ("aria-hidden", "true")]);
    let (grid_top, bottom_s) = (num(AXIS_H - 6.0), num(bottom));
    for t in ticks(l.span_s, max_ticks) {
        let x = num(l.x(t));
        m.open("g", &[]);
        m.empty(
            "line",
            &[
                ("class", "grid"),
                ("x1", &x),
                ("x2", &x),
                ("y1", &grid_top),
                ("y2", &bottom_s),
            ],
        );
        m.leaf(
            "text",
            &[
                ("class", "tick"),
                ("x", &x),
                ("y", "14"),
                ("text-anchor", "middle"),
            ],
            &secs(t),
        );
        m.close("g");
    }
    if tl.end_s < tl.span_s {
        let x = num(l.x(tl.end_s));
        m.empty(
            "line",
            &[
                ("class", "end-line"),
                ("x1", &x),
                ("x2", &x),
                ("y1", &grid_top),
                ("y2", &bottom_s),
            ],
        );
    }
    m.close("g");
    for (kind, header, lanes) in &l.groups {
        let title = group_title(*kind);
        m.open(
            "g",
            &[("class", "group"), ("role", "group"), ("aria-label", title)],
        );
        m.leaf(
            "text",
            &[
                ("class", "group-title"),
                ("x", "8"),
                ("y", &num(header + 14.0)),
            ],
            title,
        );
        for &(index, y) in lanes {
            lane(&mut m, tl, l, &tl.lanes[index], y, label_chars);
        }
        m.close("g");
    }
    for marker in &tl.pod_markers {
        pod_marker(&mut m, l, marker, bottom);
    }
    m.close("g");
    m
}

fn lane(m: &mut Markup, tl: &Timeline, l: &Layout, lane: &Lane, y: f64, label_chars: usize) {
    let mut title = format!("{} {}", lane_title(lane.kind), lane.name);
    if let Some(a) = &lane.assumed {
        title.push_str(&format!(" — assumed: {a}"));
    }
    m.open(
        "g",
        &[("class", "lane"), ("role", "list"), ("aria-label", &title)],
    );
    m.leaf("title", &[], &title);
    // A lane whose behaviour Podstep assumed is marked "?" (the note below the timeline says what,
    // and offers to say better).
    let (class, name) = match &lane.assumed {
        Some(_) => (
            "lane-name assumed",
            format!(
                "{} ?",
                truncate(&lane.name, label_chars.saturating_sub(2).max(1))
            ),
        ),
        None => ("lane-name", truncate(&lane.name, label_chars)),
    };
    m.leaf(
        "text",
        &[
            ("class", class),
            ("x", "8"),
            ("y", &num(y + BAR_Y + BAR_H - 4.0)),
        ],
        &name,
    );
    let mid = num(y + BAR_Y + BAR_H / 2.0);
    m.empty(
        "line",
        &[
            ("class", "lane-base"),
            ("x1", &num(l.x0)),
            ("x2", &num(l.x0 + l.plot_w)),
            ("y1", &mid),
            ("y2", &mid),
        ],
    );
    let (bar_y, bar_h) = (num(y + BAR_Y), num(BAR_H));
    for s in &lane.segments {
        let (x1, x2) = (l.x(s.from_s), l.x(s.to_s));
        let w = (x2 - x1).max(1.0);
        let text = segment_text(s);
        let label = format!(
            "{}{} from {} to {}",
            s.seg.label(),
            s.note.as_ref().map_or(String::new(), |n| format!(" ({n})")),
            secs(s.from_s),
            if s.to_s >= tl.span_s {
                "the end".into()
            } else {
                secs(s.to_s)
            }
        );
        let fits = !text.is_empty() && (text.chars().count() as f64) * 6.6 + 8.0 < w;
        m.open(
            "g",
            &[
                ("class", "segment"),
                ("role", "listitem"),
                ("aria-label", &label),
            ],
        );
        let class = seg_class(s.seg);
        let (x, width) = (num(x1), num(w));
        let mut attrs: Vec<Attr> = vec![
            ("class", &class),
            ("x", &x),
            ("y", &bar_y),
            ("width", &width),
            ("height", &bar_h),
        ];
        if let Some(fill) = pattern(s.seg) {
            attrs.push(("fill", fill));
        }
        m.open("rect", &attrs)
            .leaf("title", &[], &label)
            .close("rect");
        if fits {
            m.leaf(
                "text",
                &[
                    ("class", &format!("seg-text {}", s.seg.class())),
                    ("x", &num(x1 + 4.0)),
                    ("y", &num(y + BAR_Y + BAR_H - 4.5)),
                    ("aria-hidden", "true"),
                ],
                &text,
            );
        }
        m.close("g");
    }
    for marker in &lane.markers {
        lane_marker(m, l, y, marker);
    }
    m.close("g");
}

/// `M x y L x y …Z`: a closed path through `points`.
fn polygon(points: &[(f64, f64)]) -> String {
    let mut d = String::new();
    for (i, (x, y)) in points.iter().enumerate() {
        d.push(if i == 0 { 'M' } else { 'L' });
        d.push_str(&num(*x));
        d.push(' ');
        d.push_str(&num(*y));
    }
    d.push('Z');
    d
}

/// Opens a marker's group: its classes, its label (as a tooltip too) and the step a click goes to.
fn open_marker(m: &mut Markup, class: &str, role: &'static str, label: &str, step: usize) {
    m.open(
        "g",
        &[
            ("class", class),
            ("role", role),
            ("aria-label", label),
            ("data-step", &step.to_string()),
        ],
    );
    m.leaf("title", &[], label);
}

fn lane_marker(m: &mut Markup, l: &Layout, y: f64, mk: &Marker) {
    let x = l.x(mk.t);
    let label = format!("{} at {}", mk.label, secs(mk.t));
    open_marker(
        m,
        &format!("marker {}", mk.kind.class()),
        "listitem",
        &label,
        mk.step,
    );
    match mk.kind {
        MarkKind::ProbeFailed => {
            let top = y + BAR_Y + BAR_H;
            let d = polygon(&[(x - 4.0, top + 6.5), (x + 4.0, top + 6.5), (x, top + 0.5)]);
            m.empty("path", &[("d", &d)]);
        }
        MarkKind::Hook => {
            let c = y + BAR_Y - 1.0;
            let d = polygon(&[(x, c - 4.0), (x + 4.0, c), (x, c + 4.0), (x - 4.0, c)]);
            m.empty("path", &[("d", &d)]);
        }
        MarkKind::Signal => {
            let kill = mk.label.contains("KILL");
            let xs = num(x);
            m.empty(
                "line",
                &[
                    ("class", if kill { "sig-kill" } else { "sig-term" }),
                    ("x1", &xs),
                    ("x2", &xs),
                    ("y1", &num(y + 1.0)),
                    ("y2", &num(y + LANE_H - 2.0)),
                ],
            );
            m.leaf(
                "text",
                &[
                    ("class", "sig-letter"),
                    ("x", &num(x + 2.5)),
                    ("y", &num(y + 7.0)),
                ],
                if kill { "K" } else { "T" },
            );
        }
        MarkKind::Restart => {
            m.empty(
                "circle",
                &[
                    ("cx", &num(x)),
                    ("cy", &num(y + BAR_Y + BAR_H / 2.0)),
                    ("r", "4.5"),
                ],
            );
        }
        MarkKind::Pod => {}
    }
    m.close("g");
}

fn pod_marker(m: &mut Markup, l: &Layout, mk: &Marker, bottom: f64) {
    let x = l.x(mk.t);
    let label = format!("{} at {}", mk.label, secs(mk.t));
    // Flags near the right edge point left.
    let left = x > l.x0 + l.plot_w * 0.7;
    let text_x = if left { x - 4.0 } else { x + 4.0 };
    open_marker(m, "marker m-pod", "img", &label, mk.step);
    let xs = num(x);
    m.empty(
        "line",
        &[
            ("x1", &xs),
            ("x2", &xs),
            ("y1", &num(AXIS_H)),
            ("y2", &num(bottom)),
        ],
    );
    m.leaf(
        "text",
        &[
            ("x", &num(text_x)),
            ("y", &num(AXIS_H + 13.0)),
            ("text-anchor", if left { "end" } else { "start" }),
        ],
        &truncate(&mk.label, 28),
    );
    m.close("g");
}

/// The cursor: a line with a handle on the axis, and the lane of the step's container lit.
fn cursor(layout: &Layout, t: f64, lane_y: Option<f64>) -> Html {
    let mut m = Markup::new();
    m.open("g", &[("class", "cursor"), ("aria-hidden", "true")]);
    if let Some(y) = lane_y {
        m.empty(
            "rect",
            &[
                ("class", "cursor-lane"),
                ("x", &num(layout.x0 - 2.0)),
                ("y", &num(y + 1.0)),
                ("width", &num(layout.plot_w + 4.0)),
                ("height", &num(LANE_H - 2.0)),
                ("rx", "3"),
            ],
        );
    }
    let x = layout.x(t);
    let xs = num(x);
    m.empty(
        "line",
        &[
            ("x1", &xs),
            ("x2", &xs),
            ("y1", &num(AXIS_H - 8.0)),
            ("y2", &num(layout.height - 2.0)),
        ],
    );
    let d = polygon(&[
        (x - 5.0, AXIS_H - 12.0),
        (x + 5.0, AXIS_H - 12.0),
        (x, AXIS_H - 5.0),
    ]);
    m.empty("path", &[("d", &d)]).close("g");
    m.into_svg()
}

#[derive(Properties, PartialEq)]
pub struct TimelineProps {
    /// The last good run (dimmed when `stale`).
    pub run: Option<ById<Run>>,
    /// The cursor: an index into the run's steps.
    pub step: usize,
    /// The check result, for the workload picker.
    pub checked: ById<Checked>,
    /// The selected workload.
    pub workload: usize,
    pub readonly: bool,
    /// The gallery example on screen, whose explanation is shown.
    pub example: Option<AttrValue>,
    /// Why the text cannot be simulated now, if it cannot.
    pub blocked: Option<String>,
    pub stale: bool,
    /// A click on a marker (its step) or elsewhere on the plot (a time).
    pub on_go: Callback<Go>,
    pub on_select_workload: Callback<usize>,
}

#[component]
pub fn TimelinePanel(props: &TimelineProps) -> Html {
    let holder = use_node_ref();
    let svg = use_node_ref();
    let width = use_state(|| 800.0_f64);

    // Follow the panel's width.
    {
        let holder = holder.clone();
        let width = width.clone();
        use_effect_with((), move |_| {
            let measure = {
                let holder = holder.clone();
                let width = width.clone();
                move || {
                    if let Some(el) = holder.cast::<Element>() {
                        let w = f64::from(el.client_width());
                        if w > 0.0 && (w - *width).abs() >= 1.0 {
                            width.set(w);
                        }
                    }
                }
            };
            measure();
            let listener = EventListener::new(&gloo::utils::window(), "resize", move |_| measure());
            move || drop(listener)
        });
    }

    // The first timeline on screen, for benchmarks (`performance.getEntriesByName`).
    use_effect_with(props.run.is_some(), |has_run| {
        if *has_run && !FIRST_TIMELINE_MARKED.with(|m| m.replace(true)) {
            session::mark("podstep:first-timeline");
        }
    });

    let workloads = &props.checked.workloads;
    let picker = (workloads.len() > 1).then(|| {
        let onchange = super::emit_some(&props.on_select_workload, |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            select.value().parse::<usize>().ok()
        });
        html! {
            <label class="picker">
                { "Workload " }
                <select {onchange} disabled={props.readonly}>
                    { for workloads.iter().enumerate().map(|(i, w)| html! {
                        <option value={i.to_string()} selected={i == props.workload}>
                            { format!("{} {} (pod {})", w.kind, w.name, w.pod.name) }
                        </option>
                    }) }
                </select>
            </label>
        }
    });

    let about = props
        .example
        .as_deref()
        .and_then(|id| EXAMPLES.iter().find(|e| e.id == id))
        .map(|e| {
            html! {
                <details class="about" open=true>
                    <summary>{ format!("About this example: {}", e.title()) }</summary>
                    <p>{ e.explanation() }</p>
                </details>
            }
        });

    let blocked = props.blocked.clone();
    let content = match &props.run {
        None => html! {
            <p class="placeholder">
                { blocked.clone().unwrap_or_else(|| "Nothing to simulate yet.".into()) }
                { " Fix it in the manifest and the timeline appears." }
            </p>
        },
        Some(run) => {
            let layout = Rc::new(Layout::new(&run.timeline, *width));
            let onclick = {
                let svg = svg.clone();
                let layout = layout.clone();
                let on_go = props.on_go.clone();
                Callback::from(move |e: MouseEvent| {
                    // A marker goes to its own step, not to wherever the click falls on the lane.
                    if let Some(step) =
                        data_attr(e.target(), "data-step").and_then(|s| s.parse().ok())
                    {
                        on_go.emit(Go::To(step));
                        return;
                    }
                    let Some(el) = svg.cast::<Element>() else {
                        return;
                    };
                    let rect = el.get_bounding_client_rect();
                    let x = f64::from(e.client_x()) - rect.left();
                    if x < layout.x0 - 4.0 {
                        return;
                    }
                    let t = (x - layout.x0) / layout.plot_w * layout.span_s;
                    on_go.emit(Go::Time(t.max(0.0)));
                })
            };
            let cursor = run.trace.steps.get(props.step).map(|s| {
                let lane = s.container.as_deref().and_then(|name| {
                    run.timeline
                        .lanes
                        .iter()
                        .position(|l| l.name == name)
                        .and_then(|i| layout.lane_y(i))
                });
                cursor(&layout, s.t.as_secs_f64(), lane)
            });
            let summary = format!(
                "Timeline of pod {}: {} container{} over {}; the cursor is at {}. Click to move it.",
                run.trace.pod,
                run.timeline.lanes.len(),
                if run.timeline.lanes.len() == 1 { "" } else { "s" },
                secs(run.timeline.end_s),
                secs(run.trace.steps.get(props.step).map_or(0.0, |s| s.t.as_secs_f64())),
            );
            html! {
                <div class="tl-scroll">
                    <svg ref={svg} class="timeline-svg" width={num(layout.width)} height={num(layout.height)}
                        viewBox={format!("0 0 {} {}", num(layout.width), num(layout.height))} role="group" aria-label={summary} {onclick}>
                        <Body run={run.clone()} layout={layout.clone()} />
                        { for cursor }
                    </svg>
                </div>
            }
        }
    };

    let end = props.run.as_ref().map(|r| {
        let why = match r.trace.end.why.as_str() {
            "terminal" => "the pod reached a final phase",
            "steady" => "nothing changes any more (steady state)",
            "horizon" => "the simulated horizon was reached",
            "limit" => "the step limit was hit",
            other => other,
        };
        format!("The run ends at {}: {why}.", secs(r.trace.end.t))
    });
    html! {
        <section class={classes!("timeline", props.stale.then_some("stale"))} aria-labelledby="timeline-title">
            <div class="pane-head">
                <h2 id="timeline-title" class="pane-title">{ "Timeline" }</h2>
                { for picker }
            </div>
            { for about }
            if props.stale {
                <p class="stale-banner" role="status">
                    { blocked.unwrap_or_default() }
                    { " The timeline below is from the last version without errors." }
                </p>
            }
            <div class="tl-holder" ref={holder}>
                { content }
            </div>
            if props.run.is_some() {
                { legend() }
            }
            if let Some(end) = end {
                <p class="run-end">{ end }</p>
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct MiniTimelineProps {
    pub run: ById<Run>,
    /// What the timeline shows, for screen readers ("with the fix").
    pub label: AttrValue,
}

/// A run's lanes at a fixed width, without cursor or clicks: for showing two runs side by side.
#[component]
pub fn MiniTimeline(props: &MiniTimelineProps) -> Html {
    let layout = Layout::new(&props.run.timeline, 440.0);
    html! {
        <svg class="timeline-svg mini-timeline" width={num(layout.width)} height={num(layout.height)}
            viewBox={format!("0 0 {} {}", num(layout.width), num(layout.height))} role="img"
            aria-label={props.label.clone()}>
            { body_markup(&props.run.timeline, &layout).into_svg() }
        </svg>
    }
}

/// The legend: every state's swatch and every marker's shape, with their names.
fn legend() -> Html {
    let mut m = Markup::new();
    m.open("ul", &[("class", "legend"), ("aria-label", "Legend")]);
    for seg in Seg::ALL {
        m.open("li", &[]);
        swatch(&mut m, seg);
        m.text(seg.label()).close("li");
    }
    let marks: [(MarkKind, &str); 5] = [
        (MarkKind::ProbeFailed, r#"<path d="M4 12L12 12L8 5Z"/>"#),
        (MarkKind::Hook, r#"<path d="M8 3L12 7L8 11L4 7Z"/>"#),
        (
            MarkKind::Signal,
            r#"<line class="sig-term" x1="8" x2="8" y1="1" y2="13"/>"#,
        ),
        (MarkKind::Restart, r#"<circle cx="8" cy="7" r="4.5"/>"#),
        (MarkKind::Pod, r#"<line x1="8" x2="8" y1="1" y2="13"/>"#),
    ];
    for (kind, shape) in marks {
        m.open("li", &[]).open(
            "svg",
            &[
                ("class", "swatch"),
                ("width", "16"),
                ("height", "14"),
                ("viewBox", "0 0 16 14"),
                ("aria-hidden", "true"),
            ],
        );
        m.open("g", &[("class", &format!("marker {}", kind.class()))])
            .trusted(shape)
            .close("g")
            .close("svg")
            .text(kind.label())
            .close("li");
    }
    m.close("ul");
    m.into_html()
}
