//! Markup written as text, for the large regions of the page that only display: the timeline's lanes,
//! legend and cursor, the inspector's tables, the resources and workloads tables, and the editor's
//! highlighted lines and gutter. Buttons, links that act and anything that takes focus are `html!`
//! with their own callbacks.
//!
//! Those regions are hundreds of elements redrawn whole when they change: written as one string and
//! handed to Yew as a single raw node, Yew compares the strings and touches the DOM only when they
//! differ, instead of diffing every element.
//!
//! Safe by construction: tag names, attribute names and [`Markup::trusted`] text are `&'static str`
//! (program text), and everything else — every attribute value and text — is escaped, so nothing a
//! manifest says can become markup. A click inside such markup (a timeline marker) is read by a
//! listener on an element around it from a `data-*` attribute (see [`data_attr`]).

use crate::components::Raw;
use wasm_bindgen::JsCast;
use web_sys::Element;
use yew::{html, AttrValue, Html};

/// A fragment of HTML or SVG being written.
#[derive(Default)]
pub struct Markup {
    out: String,
}

/// An attribute: its name (program text) and its value (escaped when written).
pub type Attr<'a> = (&'static str, &'a str);

impl Markup {
    pub fn new() -> Markup {
        Markup::default()
    }

    /// `<tag name="value" …>`.
    pub fn open(&mut self, tag: &'static str, attrs: &[Attr<'_>]) -> &mut Markup {
        self.start_tag(tag, attrs);
        self.out.push('>');
        self
    }

    /// `</tag>`.
    pub fn close(&mut self, tag: &'static str) -> &mut Markup {
        self.out.push_str("</");
        self.out.push_str(tag);
        self.out.push('>');
        self
    }

    /// An element with only text inside.
    pub fn leaf(&mut self, tag: &'static str, attrs: &[Attr<'_>], text: &str) -> &mut Markup {
        self.open(tag, attrs).text(text).close(tag)
    }

    /// An element with nothing inside, `<rect … />` (SVG elements and HTML void elements).
    pub fn empty(&mut self, tag: &'static str, attrs: &[Attr<'_>]) -> &mut Markup {
        self.start_tag(tag, attrs);
        self.out.push_str("/>");
        self
    }

    /// Text, escaped.
    pub fn text(&mut self, text: &str) -> &mut Markup {
        escape_into(&mut self.out, text);
        self
    }

    /// A table's header row, `<thead>` included: each column's title, and whether it holds numbers
    /// (`class="num"`, right-aligned by style.css).
    pub fn head_row<'t>(
        &mut self,
        columns: impl IntoIterator<Item = (&'t str, bool)>,
    ) -> &mut Markup {
        self.open("thead", &[]).open("tr", &[]);
        for (title, numeric) in columns {
            match numeric {
                true => self.leaf("th", &[("scope", "col"), ("class", "num")], title),
                false => self.leaf("th", &[("scope", "col")], title),
            };
        }
        self.close("tr").close("thead")
    }

    /// Markup that is part of the program (icons, pattern definitions), written as is.
    pub fn trusted(&mut self, markup: &'static str) -> &mut Markup {
        self.out.push_str(markup);
        self
    }

    /// What was written, placed in an HTML context ([`Raw`], through the Trusted Types policy).
    pub fn into_html(self) -> Html {
        html! { <Raw markup={AttrValue::from(self.out)} /> }
    }

    /// What was written, placed inside an `<svg>`.
    pub fn into_svg(self) -> Html {
        html! { <Raw markup={AttrValue::from(self.out)} svg=true /> }
    }

    /// What was written, as text (for tests).
    pub fn as_str(&self) -> &str {
        &self.out
    }

    fn start_tag(&mut self, tag: &'static str, attrs: &[Attr<'_>]) {
        self.out.push('<');
        self.out.push_str(tag);
        for (name, value) in attrs {
            self.out.push(' ');
            self.out.push_str(name);
            self.out.push_str("=\"");
            escape_into(&mut self.out, value);
            self.out.push('"');
        }
    }
}

/// Escapes `text` into `out`, each hidden character shown as its code point
/// ([`lifecycle::hidden::reveal`]): in a table, a tooltip or a label it must not reorder what is read.
fn escape_into(out: &mut String, text: &str) {
    let revealed = if text.is_ascii() {
        std::borrow::Cow::Borrowed(text)
    } else {
        lifecycle::hidden::reveal(text)
    };
    let mut rest: &str = &revealed;
    while let Some(i) = rest.find(['&', '<', '>', '"', '\'']) {
        out.push_str(&rest[..i]);
        out.push_str(match rest.as_bytes()[i] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&#39;",
        });
        rest = &rest[i + 1..];
    }
    out.push_str(rest);
}

/// A coordinate or length for an SVG attribute, to a tenth of a pixel and without a trailing `.0`
/// (`12`, `12.5`): finer than a screen shows would only make the markup longer.
pub fn num(v: f64) -> String {
    let tenths = (v * 10.0).round() as i64;
    let sign = if tenths < 0 { "-" } else { "" };
    let a = tenths.unsigned_abs();
    if a.is_multiple_of(10) {
        format!("{sign}{}", a / 10)
    } else {
        format!("{sign}{}.{}", a / 10, a % 10)
    }
}

/// Markup that is part of the program, placed in an HTML context.
pub fn trusted_html(markup: &'static str) -> Html {
    html! { <Raw markup={AttrValue::Static(markup)} /> }
}

/// The value of `data-<name>` on the event's target or its nearest ancestor that has it, for clicks
/// inside [`Markup`]: `name` is the attribute's full name, `data-step`.
pub fn data_attr(target: Option<web_sys::EventTarget>, name: &str) -> Option<String> {
    let el: Element = target?.dyn_into().ok()?;
    let selector = format!("[{name}]");
    el.closest(&selector).ok()??.get_attribute(name)
}
