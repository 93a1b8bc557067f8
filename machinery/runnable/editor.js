// The code editor of the ```runnable blocks: CodeMirror 6 with Python. esbuild splits it
// into its own chunk of the site's bundle (machinery/bundle.py), assets/site/editor.js,
// which runnable.js imports only on pages that have a runnable block.

import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { pythonLanguage } from "@codemirror/lang-python";
import { HighlightStyle, bracketMatching, indentOnInput, indentUnit, syntaxHighlighting } from "@codemirror/language";
import { EditorState } from "@codemirror/state";
import { EditorView, drawSelection, keymap, lineNumbers } from "@codemirror/view";
import { tags } from "@lezer/highlight";

// Colours are Material's own code variables, so the editor follows the light and dark
// schemes (body[data-md-color-scheme]) with no script, exactly like the static code.
// Nothing is drawn behind the text (no active-line band): Material's token colours are
// chosen for 4.5:1 contrast on the plain code background only.
const materialCodeColours = HighlightStyle.define([
  { tag: [tags.keyword, tags.controlKeyword, tags.definitionKeyword, tags.moduleKeyword, tags.operatorKeyword], color: "var(--md-code-hl-keyword-color)" },
  { tag: [tags.string, tags.special(tags.string)], color: "var(--md-code-hl-string-color)" },
  { tag: tags.escape, color: "var(--md-code-hl-special-color)" },
  { tag: [tags.number, tags.bool, tags.null], color: "var(--md-code-hl-number-color)" },
  { tag: tags.comment, color: "var(--md-code-hl-comment-color)", fontStyle: "italic" },
  { tag: [tags.function(tags.variableName), tags.function(tags.propertyName), tags.function(tags.definition(tags.variableName))], color: "var(--md-code-hl-function-color)" },
  { tag: [tags.definition(tags.className), tags.meta], color: "var(--md-code-hl-constant-color)" },
  { tag: [tags.operator, tags.modifier], color: "var(--md-code-hl-operator-color)" },
  { tag: [tags.punctuation, tags.paren, tags.squareBracket, tags.brace, tags.separator], color: "var(--md-code-hl-punctuation-color)" },
]);

const materialTheme = EditorView.theme({
  "&": { color: "var(--md-code-fg-color)", backgroundColor: "var(--md-code-bg-color)", fontSize: "0.85em" },
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

/**
 * An editable Python editor in `parent`.
 * label and describedBy become the aria attributes of the editable area; onRun is bound
 * to Ctrl/Cmd+Enter. Returns a small handle so the page never touches CodeMirror itself.
 */
export function createEditor({ parent, code, label, describedBy, onRun }) {
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: code,
      extensions: [
        lineNumbers(),
        history(),
        drawSelection(),
        indentOnInput(),
        bracketMatching(),
        pythonLanguage,
        indentUnit.of("    "),
        EditorState.tabSize.of(4),
        syntaxHighlighting(materialCodeColours),
        materialTheme,
        // Tab indents like in any code editor. Keyboard users are not trapped: CodeMirror
        // lets Escape then Tab move focus on, which the hint next to the editor says.
        keymap.of([{ key: "Mod-Enter", run: () => (onRun(), true) }, indentWithTab, ...defaultKeymap, ...historyKeymap]),
        // tabindex: the editable area is focusable anyway; saying so lets checkers (axe)
        // see that the scrolling editor can be reached from the keyboard.
        EditorView.contentAttributes.of({ "aria-label": label, "aria-describedby": describedBy, tabindex: "0" }),
      ],
    }),
  });
  return {
    get code() {
      return view.state.doc.toString();
    },
    // Replacing the text is one undoable change: Ctrl+Z after Reset brings the edits back.
    set code(text) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
    },
    destroy: () => view.destroy(),
  };
}
