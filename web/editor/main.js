// The playground's code editor: CodeMirror 6 with YAML, bundled by esbuild (web/editor/build.mjs) into
// editor.js, which the page loads only after its first timeline is on screen (web/src/editor_bridge.js).
// Until then the page shows its own highlighted, editable textarea; this module replaces it.
//
// It knows no Kubernetes: completion, hover and diagnostics come from the Rust side through the
// callbacks given to `mount`, which work on the document's text and UTF-16 offsets (CodeMirror's).
// It needs nothing the page's Content-Security-Policy forbids: the editor lives in a shadow root, where
// CodeMirror's styles are constructed stylesheets (adoptedStyleSheets; in the document itself they
// would be <style> elements, which `style-src 'self'` refuses), its DOM is built with createElement, and
// no string becomes HTML. The page's colours reach it as CSS custom properties, which inherit.

import { EditorState, EditorSelection, Compartment, Annotation } from '@codemirror/state';
import {
  EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter, drawSelection,
  dropCursor, rectangularSelection, crosshairCursor, highlightSpecialChars, hoverTooltip,
} from '@codemirror/view';
import {
  defaultKeymap, history, historyKeymap, indentWithTab, indentMore, indentLess, toggleComment,
} from '@codemirror/commands';
import {
  indentOnInput, bracketMatching, syntaxHighlighting, HighlightStyle, indentUnit, foldGutter, foldKeymap,
} from '@codemirror/language';
import { searchKeymap, highlightSelectionMatches } from '@codemirror/search';
import { autocompletion, completionKeymap, closeBrackets, closeBracketsKeymap, startCompletion } from '@codemirror/autocomplete';
import { setDiagnostics, lintGutter, lintKeymap } from '@codemirror/lint';
import { yaml } from '@codemirror/lang-yaml';
import { tags } from '@lezer/highlight';

// Changes made from outside (a gallery example, a fix, undo of a fix): not reported back as edits.
const external = Annotation.define();

// The page's own colours (style.css custom properties), so both themes need no second stylesheet.
const highlight = HighlightStyle.define([
  { tag: [tags.propertyName, tags.definition(tags.propertyName)], color: 'var(--hl-key)' },
  { tag: [tags.string, tags.special(tags.string)], color: 'var(--hl-str)' },
  { tag: tags.number, color: 'var(--hl-num)' },
  { tag: [tags.bool, tags.null, tags.keyword], color: 'var(--hl-lit)' },
  { tag: tags.comment, color: 'var(--hl-comment)', fontStyle: 'italic' },
  { tag: [tags.punctuation, tags.separator, tags.squareBracket, tags.brace], color: 'var(--muted)' },
  { tag: [tags.meta, tags.labelName, tags.typeName], color: 'var(--hl-meta)' },
]);

// The box, type and colours of the page's own editor (style.css), in the page's variables.
const theme = EditorView.theme({
  '&': {
    maxHeight: '72vh', minHeight: '14rem', border: '1px solid var(--line)', borderRadius: '6px',
    background: 'var(--code-bg)', color: 'var(--text)',
  },
  '&.cm-focused': { outline: '2px solid var(--accent)', outlineOffset: '-1px' },
  '.cm-scroller': { font: '15px/22px var(--mono)', fontVariantLigatures: 'none' },
  '.cm-gutters': { background: 'var(--code-bg)', color: 'var(--muted)', borderRight: '1px solid var(--line)', fontSize: '13px' },
  '.cm-content': { caretColor: 'var(--text)', padding: '8px 0 52px' },
  '.cm-cursor, .cm-dropCursor': { borderLeftColor: 'var(--text)' },
  '.cm-activeLine, .cm-activeLineGutter': { background: 'color-mix(in srgb, var(--accent) 7%, transparent)' },
  '&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground': {
    background: 'color-mix(in srgb, var(--accent) 28%, transparent)',
  },
  '.cm-tooltip': { background: 'var(--panel)', color: 'var(--text)', border: '1px solid var(--line)', borderRadius: '6px', maxWidth: '32rem' },
  '.cm-tooltip-autocomplete ul li[aria-selected]': { background: 'var(--accent)', color: 'var(--panel)' },
  '.cm-specialChar': { color: 'var(--error)', fontWeight: '700' },
  '.cm-panels': { background: 'var(--panel)', color: 'var(--text)' },
  '.cm-field-doc': { padding: '0.4rem 0.6rem', fontSize: '0.9rem' },
  '.cm-field-doc p': { margin: '0.3rem 0' },
  '.cm-field-default': { color: 'var(--muted)' },
  '.cm-field-doc a': { color: 'var(--accent)' },
});

// Enter keeps the line's indentation, and indents as people indent YAML by hand: one step more after
// `key:` with nothing after the colon, and under the item's first key after `- key: value` (a
// `- key:` line does both). A plain function of the line before the caret.
export function nextIndent(before) {
  const indent = /^\s*/.exec(before)[0];
  const code = before.replace(/(^|\s)#.*$/, '').trimEnd();
  const dash = /^(\s*)-( +|$)/.exec(code);
  const content = dash ? dash[1] + ' '.repeat(1 + Math.max(1, dash[2].length)) : indent;
  const item = dash ? code.slice(dash[0].length) : code;
  if (/:$/.test(code)) return content + '  ';
  if (dash && (item === '' || /^[^\s"'{[][^:]*:\s/.test(item))) return content;
  return indent;
}

function insertNewlineKeepIndent(view) {
  const { state } = view;
  const changes = state.changeByRange((range) => {
    const line = state.doc.lineAt(range.from);
    const insert = '\n' + nextIndent(line.text.slice(0, range.from - line.from));
    return {
      changes: { from: range.from, to: range.to, insert },
      range: EditorSelection.cursor(range.from + insert.length),
    };
  });
  view.dispatch(changes, { scrollIntoView: true, userEvent: 'input' });
  return true;
}

const severityOf = { error: 'error', warning: 'warning', info: 'info' };

// Mounts the editor in `parent` with `text`. `hooks`:
//   onChange(text)                      the person changed the text
//   complete(text, offset) → {from, options: [{label, detail, info, apply, type}]} | null
//   hover(text, offset) → {from, to, path, sentence, default, url} | null
//   onFix(index)                        a quick fix (a diagnostic's action) was chosen
// Returns the handle the Rust side keeps (see web/src/editor_bridge.js).
export function mount(parent, text, readOnly, hooks) {
  const root = parent.shadowRoot || parent.attachShadow({ mode: 'open' });
  const readOnlyBox = new Compartment();
  const completionSource = (context) => {
    const doc = context.state.doc.toString();
    const answer = hooks.complete(doc, context.pos);
    if (!answer) return null;
    if (!context.explicit && answer.from === context.pos && !/[\w./-]$/.test(doc.slice(0, context.pos))) {
      // Nothing typed yet on an empty line: only an explicit request (Ctrl+Space) opens the list.
      if (!/^\s*$/.test(context.state.doc.lineAt(context.pos).text)) return null;
    }
    return {
      from: answer.from,
      options: answer.options.map((o) => ({
        label: o.label,
        detail: o.detail,
        info: o.info,
        apply: o.apply,
        type: o.type,
      })),
      validFor: /^[\w./-]*$/,
    };
  };
  const fieldHover = hoverTooltip((view, pos) => {
    const h = hooks.hover(view.state.doc.toString(), pos);
    if (!h) return null;
    return {
      pos: h.from,
      end: h.to,
      above: true,
      create() {
        const dom = document.createElement('div');
        dom.className = 'cm-field-doc';
        const path = document.createElement('code');
        path.textContent = h.path;
        const sentence = document.createElement('p');
        sentence.textContent = h.sentence;
        dom.append(path, sentence);
        if (h.default) {
          const d = document.createElement('p');
          d.className = 'cm-field-default';
          d.textContent = `Default: ${h.default}`;
          dom.append(d);
        }
        const a = document.createElement('a');
        a.href = h.url;
        a.target = '_blank';
        a.rel = 'noopener';
        a.textContent = 'API reference ↗';
        dom.append(a);
        return { dom };
      },
    };
  });
  const view = new EditorView({
    parent: root,
    root,
    state: EditorState.create({
      doc: text,
      extensions: [
        lineNumbers(),
        foldGutter(),
        lintGutter(),
        highlightActiveLineGutter(),
        // Every bidi control and zero-width character the engine warns about (lifecycle::hidden), not
        // only CodeMirror's default set.
        highlightSpecialChars({ addSpecialChars: /[\u202a-\u202e\u2066-\u2069\u200b-\u200f\u061c\u2060\ufeff]/ }),
        history(),
        drawSelection(),
        dropCursor(),
        EditorState.allowMultipleSelections.of(true),
        indentOnInput(),
        indentUnit.of('  '),
        EditorState.tabSize.of(2),
        syntaxHighlighting(highlight),
        theme,
        bracketMatching(),
        closeBrackets(),
        autocompletion({ override: [completionSource], icons: false }),
        rectangularSelection(),
        crosshairCursor(),
        highlightActiveLine(),
        highlightSelectionMatches(),
        fieldHover,
        yaml(),
        readOnlyBox.of([EditorState.readOnly.of(readOnly), EditorView.editable.of(!readOnly)]),
        keymap.of([
          { key: 'Enter', run: insertNewlineKeepIndent },
          { key: 'Mod-/', run: toggleComment },
          { key: 'Tab', run: (v) => (v.state.selection.ranges.some((r) => !r.empty) ? indentMore(v) : indentWithTab.run(v)), shift: indentLess },
          { key: 'Ctrl-Space', run: startCompletion },
          ...closeBracketsKeymap,
          ...defaultKeymap,
          ...searchKeymap,
          ...historyKeymap,
          ...foldKeymap,
          ...completionKeymap,
          ...lintKeymap,
        ]),
        EditorView.contentAttributes.of({ 'aria-label': 'Manifest', 'aria-describedby': 'problems-title' }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged && !update.transactions.some((t) => t.annotation(external))) {
            hooks.onChange(update.state.doc.toString());
          }
        }),
      ],
    }),
  });
  const handle = {
    // Replaces the whole text (an example opened, a fix applied), keeping the caret where it can.
    setText(next) {
      const current = view.state.doc.toString();
      if (current === next) return;
      const head = Math.min(view.state.selection.main.head, next.length);
      view.dispatch({
        changes: { from: 0, to: current.length, insert: next },
        selection: { anchor: head },
        annotations: [external.of(true)],
      });
    },
    setReadOnly(on) {
      view.dispatch({ effects: readOnlyBox.reconfigure([EditorState.readOnly.of(on), EditorView.editable.of(!on)]) });
    },
    // [{from, to, severity, message, source, fixes: [{title, index}]}], offsets in UTF-16 units.
    setDiagnostics(list) {
      const length = view.state.doc.length;
      const diagnostics = list.map((d) => ({
        from: Math.min(d.from, length),
        to: Math.min(Math.max(d.to, d.from), length),
        severity: severityOf[d.severity] || 'info',
        message: d.message,
        source: d.source,
        actions: (d.fixes || []).map((f) => ({ name: f.title, apply: () => hooks.onFix(f.index) })),
      }));
      view.dispatch(setDiagnostics(view.state, diagnostics));
    },
    // Puts the caret at a 1-based line and column (in characters, as the engine counts) and shows it.
    jump(line, column) {
      const doc = view.state.doc;
      const l = doc.line(Math.max(1, Math.min(line, doc.lines)));
      let pos = l.from;
      let n = 0;
      for (const ch of l.text) {
        if (n >= column - 1) break;
        pos += ch.length;
        n += 1;
      }
      view.dispatch({ selection: { anchor: pos }, scrollIntoView: true });
      view.focus();
    },
    // For tests and the browser console: the text as the editor holds it, and a paste of `next`.
    text() {
      return view.state.doc.toString();
    },
    // For benchmarks: one keystroke, replacing `from..to` with `insert` as typing does.
    type(from, to, insert) {
      view.dispatch({ changes: { from, to, insert }, userEvent: insert ? 'input.type' : 'delete.backward' });
    },
    paste(next) {
      view.dispatch({
        changes: { from: 0, to: view.state.doc.length, insert: next },
        userEvent: 'input.paste',
      });
    },
    destroy() {
      view.destroy();
    },
  };
  parent.podstepEditor = handle;
  return handle;
}
