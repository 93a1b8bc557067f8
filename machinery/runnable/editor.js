// The code editor of the ```runnable blocks: CodeMirror 6 with Python. esbuild splits it
// into its own chunk of the site's bundle (machinery/bundle.py), assets/site/editor.js,
// which runnable.js imports only when a block comes near or the reader reaches for it.

import { defaultKeymap, history, historyKeymap, indentMore } from "@codemirror/commands";
import { pythonLanguage } from "@codemirror/lang-python";
import {
  HighlightStyle,
  bracketMatching,
  codeFolding,
  foldEffect,
  foldKeymap,
  indentOnInput,
  indentUnit,
  syntaxHighlighting,
} from "@codemirror/language";
import { EditorState } from "@codemirror/state";
import { EditorView, drawSelection, keymap, lineNumbers } from "@codemirror/view";
import { tags } from "@lezer/highlight";

// Colours are Material's own code variables, so the editor follows the light and dark
// schemes (body[data-md-color-scheme]) with no script, exactly like the static code.
// Nothing is drawn behind the text (no active-line band): Material's token colours are
// chosen for 4.5:1 contrast on the plain code background only.
//
// Operators and punctuation, the most frequent tokens, are the editor's plain text colour
// and names are coloured instead: the same look as Material's (which paints punctuation in
// a lighter grey than names) in fewer elements, since CodeMirror draws every coloured
// token as a <span> of its own (benchmarks/page_weight.py counts them).
const materialCodeColours = HighlightStyle.define([
  { tag: [tags.keyword, tags.controlKeyword, tags.definitionKeyword, tags.moduleKeyword, tags.operatorKeyword], color: "var(--md-code-hl-keyword-color)" },
  { tag: [tags.string, tags.special(tags.string)], color: "var(--md-code-hl-string-color)" },
  { tag: tags.escape, color: "var(--md-code-hl-special-color)" },
  { tag: [tags.number, tags.bool, tags.null], color: "var(--md-code-hl-number-color)" },
  { tag: tags.comment, color: "var(--md-code-hl-comment-color)", fontStyle: "italic" },
  { tag: [tags.function(tags.variableName), tags.function(tags.propertyName), tags.function(tags.definition(tags.variableName))], color: "var(--md-code-hl-function-color)" },
  { tag: [tags.definition(tags.className), tags.meta], color: "var(--md-code-hl-constant-color)" },
  { tag: [tags.variableName, tags.propertyName], color: "var(--md-code-hl-name-color)" },
]);

const materialTheme = EditorView.theme({
  "&": { color: "var(--md-code-hl-punctuation-color)", backgroundColor: "var(--md-code-bg-color)", fontSize: "0.85em" },
  "&.cm-focused": { outline: "0.1rem solid var(--md-accent-fg-color)" },
  ".cm-scroller": { fontFamily: "var(--md-code-font-family)", lineHeight: "1.4" },
  ".cm-content": { caretColor: "var(--md-code-fg-color)" },
  ".cm-cursor, .cm-dropCursor": { borderLeftColor: "var(--md-code-fg-color)" },
  "&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground": {
    backgroundColor: "var(--md-accent-fg-color--transparent)",
  },
  ".cm-gutters": { color: "var(--md-code-hl-comment-color)", backgroundColor: "var(--md-code-bg-color)", border: "none" },
  "&.cm-focused .cm-matchingBracket": { backgroundColor: "var(--md-accent-fg-color--transparent)", outline: "1px solid var(--md-code-hl-comment-color)" },
});

// Public so other scripts (and the browser tests) can read an editor's text through
// CodeMirror's own API: EditorView.findFromDOM(element.querySelector(".cm-editor")).
export { EditorView };

/** The module docstring's range, from the end of its first line to its closing quotes. */
function docstringRange(text) {
  const opening = /^(?:#[^\n]*\n|\s)*("""|''')/.exec(text);
  if (!opening) return null;
  const start = opening[0].length;
  const end = text.indexOf(opening[1], start);
  const firstLineEnd = text.indexOf("\n", start);
  if (end < 0 || firstLineEnd < 0 || firstLineEnd >= end) return null;
  return { from: firstLineEnd, to: end };
}

/** A folded docstring shows as one button that opens it. */
function foldedDocstring(view, onclick) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "runnable__unfold";
  button.textContent = "… the rest of the docstring";
  button.setAttribute("aria-label", "Show the rest of the docstring");
  button.onclick = onclick;
  return button;
}

// A constant at the top of a simulation: `SERVERS = 4  # web servers`.
const constantLine = (name) => new RegExp(`^(${name}[ \\t]*=[ \\t]*)(-?[\\d_]+)\\b`, "m");

/**
 * An editable Python editor in `parent`. label and describedBy become the aria attributes
 * of the editable area; onRun is bound to Ctrl/Cmd+Enter, onLeave to Escape (the editor
 * hands focus on), onChange is called with the text after every edit. The module
 * docstring starts folded, so the editor opens on the parameters. Returns a small handle
 * so the page never touches CodeMirror itself.
 *
 * The handle can rest(): the editor's elements go, its state (text, selection, folds,
 * undo history) and scroll position stay, and wake() draws it again. Reading and changing
 * the code work the same while it rests: a page keeps only the editors near the reader in
 * its DOM.
 */
export function createEditor({ parent, code, label, describedBy, onRun, onLeave, onChange }) {
  let state = EditorState.create({
    doc: code,
    extensions: [
      lineNumbers(),
      history(),
      drawSelection(),
      indentOnInput(),
      bracketMatching(),
      codeFolding({ placeholderDOM: foldedDocstring }),
      pythonLanguage,
      indentUnit.of("    "),
      EditorState.tabSize.of(4),
      syntaxHighlighting(materialCodeColours),
      materialTheme,
      // Tab indents, as in any code editor; Shift+Tab is left to the browser, so it moves
      // focus back out of the editor, and Escape moves it on (to the Run button).
      keymap.of([
        { key: "Mod-Enter", run: () => (onRun(), true) },
        { key: "Tab", run: indentMore },
        { key: "Escape", run: () => (onLeave(), true) },
        ...foldKeymap,
        ...defaultKeymap,
        ...historyKeymap,
      ]),
      EditorView.updateListener.of((update) => update.docChanged && onChange(update.state.doc.toString())),
      // tabindex: the editable area is focusable anyway; saying so lets checkers (axe)
      // see that the scrolling editor can be reached from the keyboard.
      EditorView.contentAttributes.of({ "aria-label": label, "aria-describedby": describedBy, tabindex: "0" }),
    ],
  });
  const docstring = docstringRange(code);
  if (docstring) state = state.update({ effects: foldEffect.of(docstring) }).state;

  let view = null;
  let scrolled = null; // where the editor was scrolled to when it last rested
  const draw = () => {
    view = new EditorView({ parent, state, scrollTo: scrolled ?? undefined });
  };
  const currentState = () => view?.state ?? state;
  // One undoable change, whether the editor is drawn or resting.
  const change = (changes) => {
    if (view) return view.dispatch({ changes });
    const transaction = state.update({ changes });
    state = transaction.state;
    scrolled = scrolled?.map(transaction.changes);
    onChange(state.doc.toString());
  };
  draw();

  return {
    get code() {
      return currentState().doc.toString();
    },
    // Replacing the text is one undoable change: Ctrl+Z after Reset brings the edits back.
    set code(text) {
      change({ from: 0, to: currentState().doc.length, insert: text });
    },
    /** The whole number a line `NAME = 123` at the start of a line sets, or null. */
    constant(name) {
      const found = constantLine(name).exec(currentState().doc.toString());
      return found ? Number(found[2].replaceAll("_", "")) : null;
    },
    /** Rewrite that number (one undoable change); false if the code sets no such constant. */
    setConstant(name, value) {
      const found = constantLine(name).exec(currentState().doc.toString());
      if (!found) return false;
      const from = found.index + found[1].length;
      const written = found[2].includes("_") ? groupedWithUnderscores(value) : String(value);
      change({ from, to: from + found[2].length, insert: written });
      return true;
    },
    get resting() {
      return view === null;
    },
    /** Let go of the editor's elements; false (and nothing done) while the reader is in it. */
    rest() {
      // Not view.hasFocus, which is false whenever the reader is in another window.
      if (!view || view.dom.contains(document.activeElement)) return false;
      state = view.state;
      // A hidden editor (a <details> just closed) has no layout to remember.
      if (view.scrollDOM.clientHeight) scrolled = view.scrollSnapshot();
      view.destroy();
      view = null;
      return true;
    },
    wake: () => view ?? draw(),
    focus: () => view?.focus(),
    remeasure: () => view?.requestMeasure(),
    destroy() {
      view?.destroy();
      view = null;
    },
  };
}

function groupedWithUnderscores(value) {
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, "_");
}
