//! The playground's state and its reducer: what is on screen follows from `State` alone.
//!
//! Every change arrives as an [`Action`], which is plain data; [`State::reduce`] is pure: it runs the
//! engine (itself pure) and touches no DOM, storage or clock. The single exception is the crash
//! reporter's breadcrumb ([`crate::panic::breadcrumb`]): before running the engine on new input, the
//! reducer notes that input so that a panic inside the engine can offer a link reproducing it. Side
//! effects that follow from a state change (the caret, the URL, autosave, the clipboard) live in the
//! components' effects.

use crate::session::Page;
use crate::timeline::Timeline;
use lifecycle::features::{Gate, Kube};
use lifecycle::sim::trace::StepKind;
use lifecycle::sim::{self, Ms, Scenario, Trace, Version};
use lifecycle::{Checked, Severity, Workload};
use share::Shared;
use std::rc::Rc;
use yew::Reducible;

/// The manifest the playground opens with: an init container, a sidecar gated by its startup probe,
/// and an app container. It must check without errors (the e2e tests rely on it and on its trace).
pub const SAMPLE: &str = "\
# A pod whose app waits for a database migration and for its proxy sidecar.
apiVersion: v1
kind: Pod
metadata:
  name: shop
spec:
  initContainers:
  - name: migrate
    image: busybox:1.36
    command: [\"sh\", \"-c\", \"echo migrating; sleep 3\"]
  - name: proxy
    image: envoyproxy/envoy:v1.31.0
    restartPolicy: Always
    startupProbe:
      httpGet:
        path: /ready
        port: 9901
      periodSeconds: 2
      failureThreshold: 15
  containers:
  - name: app
    image: nginx:1.27
    ports:
    - containerPort: 80
    readinessProbe:
      httpGet:
        path: /
        port: 80
";

/// Playback speeds offered (simulated seconds per second).
pub const SPEEDS: [u32; 3] = [1, 4, 16];
/// The overrides in `text` (`--feature-gates` spelling) that `minor` accepts; the others are left out.
fn gates_for(minor: u32, text: &str) -> Vec<(Gate, bool)> {
    let mut kube = Kube::new(minor);
    for item in text.split(',').filter(|s| !s.trim().is_empty()) {
        // One at a time, so that one a version refuses does not lose the others.
        let _ = kube.parse_overrides(item);
    }
    // An override that says what the version's default says is no override.
    kube.overrides
        .into_iter()
        .filter(|(g, on)| g.spec(minor).is_some_and(|(default, _)| default != *on))
        .collect()
}

/// Kubernetes minor versions the version picker offers: the ones the engine simulates.
pub const MINORS: std::ops::RangeInclusive<u32> = Version::MINORS;

/// One simulation: the workload as it was simulated, its trace, and the trace laid out for display.
/// Not `PartialEq`: runs are shared as `Rc<Run>` and compared by identity (see `State`'s `eq`).
#[derive(Clone, Debug)]
pub struct Run {
    pub workload: Workload,
    pub trace: Trace,
    pub timeline: Timeline,
    /// The Kubernetes version simulated (the narration says what differs by version).
    pub version: Version,
}

impl Run {
    pub fn new(workload: &Workload, scenario: &Scenario) -> Run {
        let trace = sim::simulate(workload, scenario);
        let timeline = Timeline::build(workload, &trace);
        Run {
            workload: workload.clone(),
            trace,
            timeline,
            version: scenario.version,
        }
    }

    pub fn last_step(&self) -> usize {
        self.trace.steps.len().saturating_sub(1)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoticeKind {
    Error,
    Info,
}

/// What `lint` found for one check result (the lint runs after typing pauses: it simulates each
/// workload more than once).
#[derive(Debug, PartialEq)]
pub struct Lint {
    /// The check it was made for: it counts only while that check is the one on screen.
    pub checked: Rc<Checked>,
    pub findings: Vec<lifecycle::lint::Finding>,
}

/// A fix shown before it is applied: the fixed text and what it would run like.
#[derive(Debug)]
pub struct Preview {
    /// Index into the lint's findings.
    pub finding: usize,
    pub text: Rc<str>,
    /// The fixed manifest's run with the same scenario (`None` if it cannot be simulated).
    pub run: Option<Rc<Run>>,
}

/// A message above the playground (a link that could not be opened, a crash last time).
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    pub kind: NoticeKind,
    pub text: String,
    /// What the notice offers to open, if anything.
    pub link: Option<NoticeLink>,
}

/// What a notice offers: a scenario Podstep holds (a draft, the autosave), opened in place of the one on
/// screen. Never a URL: drafts can be far larger than a link, and nothing from storage becomes an href.
#[derive(Clone, Debug, PartialEq)]
pub struct NoticeLink {
    pub label: String,
    pub shared: Rc<Shared>,
    /// How opening it counts ([`Action::Reopen`]).
    pub reopen: Reopen,
}

/// How a scenario reopened from a notice counts for the autosave.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reopen {
    /// It is the autosave already (what another tab saved, what crashed last time): the URL follows
    /// it, the autosave is left as it is.
    Autosaved,
    /// An earlier draft the person asks back: it becomes the autosave, and the draft it replaces is
    /// kept in its turn.
    Restore,
}

#[derive(Clone, Debug)]
pub struct State {
    /// How the page was opened (embed, view, read-only, persistence); fixed for the page's life.
    pub page: Page,
    /// The editor's text, exactly as typed.
    pub source: Rc<str>,
    /// What `lifecycle::check` says about `source`; always in step with it.
    pub checked: Rc<Checked>,
    /// The workload (0-based, in document order) to simulate.
    pub workload: usize,
    /// Scenario actions: (simulated milliseconds, the action as the CLI spells it), in time order.
    pub actions: Rc<Vec<(u64, String)>>,
    /// Simulated horizon in seconds (0: the engine's default).
    pub until_s: u64,
    /// Kubernetes minor version simulated.
    pub minor: u32,
    /// Feature gate overrides for that version (what `--feature-gates` would say).
    pub gates: Vec<(Gate, bool)>,
    /// The kubelet's `crashLoopBackOff.maxContainerRestartPeriod` in seconds (1 to 300); `None` for
    /// its default. It counts only while `KubeletCrashLoopBackOffMax` is on, as on a node.
    pub max_restart_s: Option<u32>,
    /// The last good simulation. When the text has errors it is kept (shown dimmed) and `stale` is set.
    pub run: Option<Rc<Run>>,
    pub stale: bool,
    /// The cursor: an index into `run`'s steps.
    pub step: usize,
    pub playing: bool,
    pub speed: u32,
    /// The last request to move the editor's caret; `None` until a problem is clicked.
    pub jump: Option<Jump>,
    pub notice: Option<Notice>,
    /// The gallery example loaded last, if any.
    pub example: Option<String>,
    /// Incremented by every request to copy the share link (button or Ctrl/Cmd+S).
    pub copy_seq: u64,
    /// Whether anything changed since the scenario was opened, stepping included (the URL waits for it).
    pub touched: bool,
    /// Whether the person has edited the scenario since it was opened — its text, actions or settings,
    /// not the cursor or the workload on screen: only their own edit may replace their autosave.
    pub edited: bool,
    /// The scenario on screen came from a link or an example, and has not replaced the person's
    /// autosave yet: the first autosave of an edit keeps the draft it replaces.
    pub foreign: bool,
    /// The lint of `checked`, once it has run.
    pub lint: Option<Rc<Lint>>,
    /// The fix being previewed, if any.
    pub preview: Option<Rc<Preview>>,
    /// The text before the fix just applied, and the fix's title, until the next edit.
    pub undo_fix: Option<(Rc<str>, String)>,
}

/// The shared parts — text, check result, actions, run — are compared by identity: the reducer makes
/// a new `Rc` whenever it changes one, so identity is change, where a derived comparison would walk
/// the whole trace and every pod spec. The panels' props compare the same parts the same way
/// ([`crate::by_id::ById`]). Destructured so that a new field cannot be forgotten here.
impl PartialEq for State {
    fn eq(&self, other: &State) -> bool {
        let State {
            page,
            source,
            checked,
            workload,
            actions,
            until_s,
            minor,
            gates,
            max_restart_s,
            run,
            stale,
            step,
            playing,
            speed,
            jump,
            notice,
            example,
            copy_seq,
            touched,
            edited,
            foreign,
            lint,
            preview,
            undo_fix,
        } = self;
        fn same<T: ?Sized>(a: &Option<Rc<T>>, b: &Option<Rc<T>>) -> bool {
            match (a, b) {
                (Some(a), Some(b)) => Rc::ptr_eq(a, b),
                (None, None) => true,
                _ => false,
            }
        }
        let same_run = match (run, &other.run) {
            (Some(a), Some(b)) => Rc::ptr_eq(a, b),
            (None, None) => true,
            _ => false,
        };
        *page == other.page
            && Rc::ptr_eq(source, &other.source)
            && Rc::ptr_eq(checked, &other.checked)
            && *workload == other.workload
            && Rc::ptr_eq(actions, &other.actions)
            && *until_s == other.until_s
            && *minor == other.minor
            && *gates == other.gates
            && *max_restart_s == other.max_restart_s
            && same_run
            && *stale == other.stale
            && *step == other.step
            && *playing == other.playing
            && *speed == other.speed
            && *jump == other.jump
            && *notice == other.notice
            && *example == other.example
            && *copy_seq == other.copy_seq
            && *touched == other.touched
            && *edited == other.edited
            && *foreign == other.foreign
            && same(lint, &other.lint)
            && same(preview, &other.preview)
            && *undo_fix == other.undo_fix
    }
}

/// A request to put the editor's caret on a position. `seq` makes two clicks on the same problem two
/// distinct requests, so the editor's effect runs for each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Jump {
    pub line: u32,
    pub column: u32,
    /// Where that is in the text, in UTF-16 code units (what `setSelectionRange` counts).
    pub offset_utf16: u32,
    pub seq: u64,
}

/// Moves of the cursor.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Go {
    First,
    Prev,
    Next,
    Last,
    To(usize),
    /// The last step at or before this simulated time (a click on the timeline).
    Time(f64),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// The user changed the text.
    Edit(String),
    /// The user asked to see a position (1-based line and column, as diagnostics give them).
    JumpTo {
        line: u32,
        column: u32,
    },
    SelectWorkload(usize),
    Go(Go),
    TogglePlay,
    Pause,
    SetSpeed(u32),
    /// One playback tick: the next step, or stop at the end.
    Tick,
    /// Adds a scenario action at the cursor's time.
    AddAction(sim::Action),
    RemoveAction(usize),
    SetUntil(u64),
    SetMinor(u32),
    /// Turns a feature gate on or off for the chosen version (`None`: back to its default).
    SetGate(Gate, Option<bool>),
    /// Sets the kubelet's crash back-off cap in seconds (`None`: its default); out of range is ignored.
    SetMaxRestart(Option<u32>),
    /// The lint of a check is done (ignored if the check is no longer the one on screen).
    Linted(Rc<Lint>),
    /// Shows what a finding's fix would do (`None`: closes the preview).
    PreviewFix(Option<usize>),
    /// Applies a finding's fix to the text.
    ApplyFix(usize),
    /// Puts back the text from before the fix just applied.
    UndoFix,
    /// The scenario on screen has replaced the person's autosave, whose earlier draft was kept: the
    /// notice says so.
    DraftKept(Option<Notice>),
    /// Shows a message above the playground (a save that failed, another tab's save).
    Notify(Notice),
    /// Replaces the whole scenario (a share link, autosave, a gallery example).
    Load {
        shared: Shared,
        example: Option<String>,
        notice: Option<Notice>,
    },
    /// Opens the scenario a notice offers ([`NoticeLink`]).
    Reopen(Rc<Shared>, Reopen),
    DismissNotice,
    RequestCopy,
}

impl State {
    /// The playground on `source`, with no actions, at the first step.
    pub fn new(source: &str) -> State {
        State::from_shared(
            Page::default(),
            &Shared {
                manifest: source.to_string(),
                ..Shared::default()
            },
        )
    }

    /// The playground exactly as a share link describes it.
    pub fn from_shared(page: Page, shared: &Shared) -> State {
        let mut actions: Vec<(u64, String)> = shared
            .actions
            .iter()
            .take(lifecycle::limits::MAX_ACTIONS)
            .cloned()
            .collect();
        actions.sort_by_key(|a| a.0);
        let minor = if MINORS.contains(&shared.minor) {
            shared.minor
        } else {
            Version::default().minor
        };
        let state = State {
            page,
            source: shared.manifest.as_str().into(),
            checked: Rc::new(Checked::default()),
            workload: shared.workload,
            actions: Rc::new(actions),
            until_s: shared.until_s.min(lifecycle::limits::MAX_HORIZON_S),
            minor,
            gates: gates_for(minor, &shared.gates),
            max_restart_s: Some(shared.max_restart_s).filter(|s| (1..=300).contains(s)),
            run: None,
            stale: false,
            step: shared.step,
            playing: false,
            speed: 1,
            jump: None,
            notice: None,
            example: None,
            copy_seq: 0,
            touched: false,
            edited: false,
            foreign: false,
            lint: None,
            preview: None,
            undo_fix: None,
        };
        crate::panic::breadcrumb(state.to_shared());
        let checked = Rc::new(state.check());
        // A link's values the manifest or Podstep cannot take are corrected, and said so.
        let mut said = Vec::new();
        let mut workload = state.workload;
        let count = checked.workloads.len();
        if count > 0 && workload >= count {
            said.push(format!(
                "The link asks for workload {}, but the manifest has {count}; showing workload {count}.",
                // A huge index is shown as it is, not wrapped around.
                (workload as u128) + 1
            ));
            workload = count - 1;
        }
        if shared.minor != 0 && !MINORS.contains(&shared.minor) {
            said.push(format!(
                "The link asks for Kubernetes 1.{}, which Podstep does not simulate (1.{}–1.{}); showing 1.{}.",
                shared.minor,
                MINORS.start(),
                MINORS.end(),
                state.minor
            ));
        }
        let notice = (!said.is_empty()).then(|| Notice {
            kind: NoticeKind::Info,
            text: said.join(" "),
            link: None,
        });
        State {
            checked,
            workload,
            notice,
            ..state
        }
        .rerun(None)
    }

    /// The Kubernetes the text is checked and simulated against: the version and its gate overrides.
    pub fn kube(&self) -> Kube {
        Kube {
            overrides: self.gates.clone(),
            ..Kube::new(self.minor)
        }
    }

    /// `check` of the text against the chosen Kubernetes version and gates.
    fn check(&self) -> lifecycle::Checked {
        lifecycle::check_with(&self.source, &self.kube())
    }

    /// The scenario as a share link carries it.
    pub fn to_shared(&self) -> Shared {
        Shared {
            manifest: self.source.to_string(),
            actions: self.actions.as_ref().clone(),
            until_s: self.until_s,
            minor: if self.minor == Version::default().minor {
                0
            } else {
                self.minor
            },
            step: self.step,
            workload: self.workload,
            gates: self.kube().overrides_text(),
            max_restart_s: self.max_restart_s.unwrap_or(0),
            // The writer puts its own version in a link (`share::to_json`).
            made_by: String::new(),
        }
    }

    /// The workload to simulate, if it exists.
    pub fn selected(&self) -> Option<&Workload> {
        self.checked.workloads.get(self.workload)
    }

    /// Why the current text cannot be simulated, if it cannot: `None` when the selected workload is
    /// free of errors and nothing outside any workload (a YAML syntax error) is wrong either.
    pub fn blocked(&self) -> Option<String> {
        let errors = |d: &&lifecycle::Diagnostic| d.severity == Severity::Error;
        let total = self.checked.diagnostics.iter().filter(errors).count();
        let in_workloads: usize = self.checked.workloads.iter().map(|w| w.errors).sum();
        let first = self.checked.diagnostics.iter().find(errors);
        let first = first.map_or(String::new(), |d| {
            format!(" (line {}: {})", d.line, d.message)
        });
        match self.selected() {
            _ if total > in_workloads => Some(format!(
                "The manifest has {total} error{}{first}.",
                plural(total)
            )),
            None if self.checked.workloads.is_empty() => {
                Some("No pod template found in the manifest.".into())
            }
            None => Some(format!(
                "Workload {} does not exist; pick another one.",
                self.workload + 1
            )),
            Some(w) if w.errors > 0 => Some(format!(
                "{} {} has {} error{}{first}.",
                w.kind,
                w.name,
                w.errors,
                plural(w.errors)
            )),
            Some(_) => None,
        }
    }

    /// The engine's scenario: actions that do not parse are left out (the actions panel says so).
    pub fn scenario(&self) -> Scenario {
        Scenario {
            actions: self
                .actions
                .iter()
                .filter_map(|(at, text)| sim::Action::parse(text).ok().map(|a| (Ms(*at), a)))
                .collect(),
            until_s: if self.until_s == 0 {
                lifecycle::limits::DEFAULT_HORIZON_S
            } else {
                self.until_s
            },
            version: Version { minor: self.minor },
            gates: self.gates.clone(),
            max_container_restart_period: self.max_restart_s.map(|s| Ms::from_s(s.into())),
        }
    }

    /// Simulates again if the text allows it, keeping the cursor where it was; otherwise keeps the last
    /// good run and marks it stale. `before` is the run the cursor refers to (`None`: the cursor is a
    /// step index from a link).
    fn rerun(mut self, before: Option<Rc<Run>>) -> State {
        // A preview shows the fix under the scenario it was made with.
        self.preview = None;
        if self.blocked().is_some() {
            self.stale = self.run.is_some();
            if self.run.is_none() {
                self.playing = false;
            }
            return self;
        }
        let Some(workload) = self.selected() else {
            return self;
        };
        crate::panic::breadcrumb(self.to_shared());
        let run = Run::new(workload, &self.scenario());
        self.step = keep_cursor(before.as_deref(), self.step, &run);
        self.run = Some(Rc::new(run));
        self.stale = false;
        self
    }

    /// The text with the fix of finding `i` applied, if it has one.
    fn fixed_text(&self, i: usize) -> Option<Rc<str>> {
        let fix = self.lint.as_ref()?.findings.get(i)?.fix.as_ref()?;
        Some(lifecycle::lint::edit::apply(&self.source, &fix.edits).into())
    }

    /// The state with `source` as the text: checked and simulated again, its lint and preview gone.
    fn edited(mut self, source: Rc<str>, before: Option<Rc<Run>>) -> State {
        self.source = source;
        crate::panic::breadcrumb(self.to_shared());
        self.rechecked(before)
    }

    /// The state after an edit that changes what the check says (the text, the version, a gate):
    /// checked and simulated again, its lint gone (the preview goes with the run).
    fn rechecked(mut self, before: Option<Rc<Run>>) -> State {
        self.touched = true;
        self.edited = true;
        self.lint = None;
        self.checked = Rc::new(self.check());
        self.rerun(before)
    }

    fn cursor_t(&self) -> f64 {
        self.run
            .as_ref()
            .and_then(|r| r.trace.steps.get(self.step))
            .map_or(0.0, |s| s.t.as_secs_f64())
    }
}

impl Default for State {
    fn default() -> State {
        State::new(SAMPLE)
    }
}

/// Where the cursor goes in `new` when it was on `step` of `old`: the same step if the trace is the
/// same up to there, the end if it was at the end, else the last step at or before the same time.
fn keep_cursor(old: Option<&Run>, step: usize, new: &Run) -> usize {
    let last = new.last_step();
    let Some(old) = old else {
        return step.min(last);
    };
    let Some(was) = old.trace.steps.get(step) else {
        return step.min(last);
    };
    if step >= old.last_step() {
        return last;
    }
    match new.trace.steps.get(step) {
        Some(s) if s.t == was.t && s.kind == was.kind && s.container == was.container => step,
        _ => new.timeline.step_at(was.t.as_secs_f64()),
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let before = self.run.clone();
        let mut next = (*self).clone();
        match action {
            Action::Edit(source) => {
                if *self.source == *source {
                    return self;
                }
                next.undo_fix = None;
                next = next.edited(source.into(), before);
            }
            Action::Linted(lint) => {
                if !Rc::ptr_eq(&lint.checked, &self.checked) {
                    return self;
                }
                next.lint = Some(lint);
            }
            Action::PreviewFix(None) => {
                if self.preview.is_none() {
                    return self;
                }
                next.preview = None;
            }
            Action::PreviewFix(Some(i)) => {
                let Some(text) = self.fixed_text(i) else {
                    return self;
                };
                let checked = lifecycle::check_with(&text, &self.kube());
                let run = checked
                    .workloads
                    .get(self.workload)
                    .filter(|w| w.errors == 0 && !checked.has_errors())
                    .map(|w| Rc::new(Run::new(w, &self.scenario())));
                next.preview = Some(Rc::new(Preview {
                    finding: i,
                    text,
                    run,
                }));
            }
            Action::ApplyFix(i) => {
                let Some(text) = self.fixed_text(i) else {
                    return self;
                };
                let title = self
                    .lint
                    .as_ref()
                    .and_then(|l| l.findings.get(i))
                    .and_then(|f| f.fix.as_ref())
                    .map_or(String::new(), |f| f.title.clone());
                next.undo_fix = Some((self.source.clone(), title));
                next = next.edited(text, before);
            }
            Action::UndoFix => {
                let Some((text, _)) = self.undo_fix.clone() else {
                    return self;
                };
                next.undo_fix = None;
                next = next.edited(text, before);
            }
            Action::JumpTo { line, column } => {
                let seq = self.jump.map_or(0, |j| j.seq + 1);
                let offset_utf16 = utf16_offset(&self.source, line, column);
                next.jump = Some(Jump {
                    line,
                    column,
                    offset_utf16,
                    seq,
                });
            }
            Action::SelectWorkload(index) => {
                if index == self.workload {
                    return self;
                }
                next.workload = index;
                next.touched = true;
                next.step = 0;
                next.run = None;
                next = next.rerun(None);
            }
            Action::Go(go) => {
                let Some(run) = &self.run else {
                    return self;
                };
                let last = run.last_step();
                next.step = match go {
                    Go::First => 0,
                    Go::Prev => self.step.saturating_sub(1),
                    Go::Next => (self.step + 1).min(last),
                    Go::Last => last,
                    Go::To(i) => i.min(last),
                    Go::Time(t) => run.timeline.step_at(t),
                };
                if next.step == self.step {
                    return self;
                }
                next.touched = true;
                next.playing = false;
            }
            Action::TogglePlay => {
                let Some(run) = &self.run else {
                    return self;
                };
                next.playing = !self.playing;
                if next.playing && self.step >= run.last_step() {
                    next.step = 0;
                }
            }
            Action::Pause => {
                if !self.playing {
                    return self;
                }
                next.playing = false;
            }
            Action::SetSpeed(speed) => {
                if speed == self.speed || !SPEEDS.contains(&speed) {
                    return self;
                }
                next.speed = speed;
            }
            Action::Tick => {
                let Some(run) = &self.run else {
                    return self;
                };
                if !self.playing {
                    return self;
                }
                if self.step >= run.last_step() {
                    next.playing = false;
                } else {
                    next.step = self.step + 1;
                }
            }
            Action::AddAction(action) => {
                if self.actions.len() >= lifecycle::limits::MAX_ACTIONS {
                    return self;
                }
                let at_ms = (self.cursor_t() * 1000.0).round() as u64;
                let text = action.to_string();
                let mut actions = self.actions.as_ref().clone();
                // After the actions already at that time: they are applied in the order given.
                let index = actions.partition_point(|(at, _)| *at <= at_ms);
                actions.insert(index, (at_ms, text.clone()));
                next.actions = Rc::new(actions);
                next.touched = true;
                next.edited = true;
                next.playing = false;
                next = next.rerun(before);
                // Put the cursor on the new action's own step.
                if let Some(run) = &next.run {
                    let t = Ms(at_ms);
                    if let Some(i) = run.trace.steps.iter().position(|s| {
                        s.t == t
                            && matches!(&s.kind, StepKind::Action { action } if *action == text)
                    }) {
                        next.step = i;
                    }
                }
            }
            Action::RemoveAction(index) => {
                if index >= self.actions.len() {
                    return self;
                }
                let mut actions = self.actions.as_ref().clone();
                actions.remove(index);
                next.actions = Rc::new(actions);
                next.touched = true;
                next.edited = true;
                next = next.rerun(before);
            }
            Action::SetUntil(until_s) => {
                let until_s = until_s.min(lifecycle::limits::MAX_HORIZON_S);
                if until_s == self.until_s {
                    return self;
                }
                next.until_s = until_s;
                next.touched = true;
                next.edited = true;
                next = next.rerun(before);
            }
            Action::SetMinor(minor) => {
                if minor == self.minor || !MINORS.contains(&minor) {
                    return self;
                }
                next.minor = minor;
                // Overrides that the new version cannot take (a gate it lacks or has locked) go.
                next.gates = gates_for(
                    minor,
                    &Kube {
                        overrides: self.gates.clone(),
                        ..Kube::new(minor)
                    }
                    .overrides_text(),
                );
                // What the API server accepts and drops follows the version (its feature gates).
                next = next.rechecked(before);
            }
            Action::SetGate(gate, on) => {
                let mut gates: Vec<(Gate, bool)> = self
                    .gates
                    .iter()
                    .copied()
                    .filter(|(g, _)| *g != gate)
                    .collect();
                if let Some(on) = on {
                    gates.push((gate, on));
                }
                let gates = gates_for(
                    self.minor,
                    &Kube {
                        overrides: gates,
                        ..Kube::new(self.minor)
                    }
                    .overrides_text(),
                );
                if gates == self.gates {
                    return self;
                }
                next.gates = gates;
                next = next.rechecked(before);
            }
            Action::SetMaxRestart(seconds) => {
                if seconds == self.max_restart_s || seconds.is_some_and(|s| !(1..=300).contains(&s))
                {
                    return self;
                }
                next.max_restart_s = seconds;
                next.touched = true;
                next.edited = true;
                next = next.rerun(before);
            }
            Action::Load {
                shared,
                example,
                notice,
            } => {
                // Who wrote a link is not part of the scenario on screen.
                let same = share::Shared {
                    made_by: String::new(),
                    ..shared.clone()
                } == self.to_shared();
                if notice.is_none() && example == self.example && same {
                    return self;
                }
                let mut loaded = State::from_shared(self.page, &shared);
                loaded.example = example;
                if notice.is_some() {
                    loaded.notice = notice;
                }
                loaded.speed = self.speed;
                loaded.copy_seq = self.copy_seq;
                // Opening a scenario is not an edit: autosave keeps the last edit until the next one.
                loaded.touched = false;
                loaded.edited = false;
                loaded.foreign = true;
                loaded.jump = None;
                next = loaded;
            }
            Action::Reopen(shared, how) => {
                let mut reopened = State::from_shared(self.page, &shared);
                reopened.speed = self.speed;
                reopened.copy_seq = self.copy_seq;
                // The person asked for it: the URL follows at once.
                reopened.touched = true;
                (reopened.edited, reopened.foreign) = match how {
                    Reopen::Autosaved => (false, false),
                    Reopen::Restore => (true, true),
                };
                next = reopened;
            }
            Action::Notify(notice) => {
                if self.notice.as_ref() == Some(&notice) {
                    return self;
                }
                next.notice = Some(notice);
            }
            Action::DraftKept(notice) => {
                if notice.is_some() {
                    next.notice = notice;
                }
                next.foreign = false;
            }
            Action::DismissNotice => {
                if self.notice.is_none() {
                    return self;
                }
                next.notice = None;
            }
            Action::RequestCopy => next.copy_seq += 1,
        }
        crate::panic::breadcrumb(next.to_shared());
        Rc::new(next)
    }
}

/// The UTF-16 offset of 1-based `line` and `column` (counted in characters) in `text`. A line past the
/// end gives the end of the text; a column past the end of its line gives the end of that line.
pub fn utf16_offset(text: &str, line: u32, column: u32) -> u32 {
    let mut offset = 0usize;
    for (i, l) in text.split('\n').enumerate() {
        if i + 1 == line as usize {
            let l = l.strip_suffix('\r').unwrap_or(l);
            let before: usize = l
                .chars()
                .take(column.saturating_sub(1) as usize)
                .map(char::len_utf16)
                .sum();
            return (offset + before) as u32;
        }
        offset += l.encode_utf16().count() + 1;
    }
    text.encode_utf16().count() as u32
}
