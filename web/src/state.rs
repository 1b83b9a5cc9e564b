//! The playground's state and its reducer: what is on screen follows from `State` alone.
//!
//! Every change arrives as an [`Action`], which is plain data; [`State::reduce`] is pure (it runs the
//! engine, which is itself pure, and touches no DOM, storage or clock). Side effects that follow from a
//! state change — moving the editor's caret — live in the components' effects.

use lifecycle::Checked;
use std::rc::Rc;
use yew::Reducible;

/// The manifest the playground opens with: an init container, a sidecar gated by its startup probe,
/// and an app container. It must check without errors (the e2e tests rely on it).
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

#[derive(Clone, Debug, PartialEq)]
pub struct State {
    /// The editor's text, exactly as typed.
    pub source: Rc<str>,
    /// What `lifecycle::check` says about `source`; always in step with it.
    pub checked: Rc<Checked>,
    /// The last request to move the editor's caret; `None` until a problem is clicked.
    pub jump: Option<Jump>,
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

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// The user changed the text.
    Edit(String),
    /// The user asked to see a position (1-based line and column, as diagnostics give them).
    JumpTo { line: u32, column: u32 },
}

impl State {
    pub fn new(source: &str) -> State {
        State {
            source: source.into(),
            checked: Rc::new(lifecycle::check(source)),
            jump: None,
        }
    }
}

impl Default for State {
    fn default() -> State {
        State::new(SAMPLE)
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        match action {
            Action::Edit(source) => {
                if *self.source == *source {
                    return self;
                }
                Rc::new(State {
                    jump: self.jump,
                    ..State::new(&source)
                })
            }
            Action::JumpTo { line, column } => {
                let seq = self.jump.map_or(0, |j| j.seq + 1);
                let offset_utf16 = utf16_offset(&self.source, line, column);
                Rc::new(State {
                    jump: Some(Jump {
                        line,
                        column,
                        offset_utf16,
                        seq,
                    }),
                    ..(*self).clone()
                })
            }
        }
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
