/*
 * The header's light/dark toggle, in place of Material's palette component, which the
 * theme switches off (main.html takes its data-md-component away). At start-up Material's
 * component marks the body as switching and reads the header's computed style: three
 * restyles of every element of the page, the longest work of a long page's start-up on a
 * phone. This keeps its behaviour and storage (Material's inline script at the top of
 * <body> applies the stored palette before anything is drawn) for palettes chosen by a
 * media query, as mkdocs.yml has them, but touches the body only when the palette changes.
 * Material's component (9.8.1): https://github.com/squidfunk/mkdocs-material/blob/9.8.1/
 * src/templates/assets/javascripts/components/palette/index.ts
 */

const KEY = "__palette"; // Material's key, read by its inline script
const COLORS = ["media", "scheme", "primary", "accent"]; // the body's data-md-color-* attributes

export function mountPalette(form) {
  const inputs = [...form.querySelectorAll("input")];
  const stored = globalThis.__md_get(KEY);
  const index = stored ? stored.index : inputs.findIndex((input) => matchMedia(input.getAttribute("data-md-color-media")).matches);
  choose(inputs, Math.min(Math.max(index, 0), inputs.length - 1));
  // The browser's own colours, once the page is idle: its style is settled then, and reading it costs nothing.
  (globalThis.requestIdleCallback ?? setTimeout)(describeToBrowser);
  form.addEventListener("change", (event) => switchTo(inputs, inputs.indexOf(event.target)));
  // Each toggle is a label for the next palette's radio button; Enter on a focused one moves on too.
  form.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || !inputs.includes(event.target)) return;
    const next = inputs[(inputs.indexOf(event.target) + 1) % inputs.length];
    next.click();
    next.focus();
  });
}

function switchTo(inputs, index) {
  document.body.setAttribute("data-md-color-switching", ""); // Material's CSS: no colour transitions meanwhile
  choose(inputs, index);
  describeToBrowser();
  requestAnimationFrame(() => document.body.removeAttribute("data-md-color-switching"));
}

function choose(inputs, index) {
  const color = Object.fromEntries(COLORS.map((name) => [name, inputs[index].getAttribute(`data-md-color-${name}`)]));
  for (const [name, value] of Object.entries(color)) {
    if (document.body.getAttribute(`data-md-color-${name}`) !== value) document.body.setAttribute(`data-md-color-${name}`, value);
  }
  // Only the toggle that leads away from the palette in use is shown (a palette may have none).
  inputs.forEach((input, each) => {
    const toggle = input.nextElementSibling;
    if (toggle?.tagName === "LABEL") toggle.hidden = each !== index;
  });
  globalThis.__md_set(KEY, { index, color });
}

// The address bar takes the header's colour (theme-color); the browser's own parts, such as
// the page's scrollbar, take the scheme (color-scheme). Writing color-scheme restyles the
// whole page, so it is written only when it changes, and a light page needs none.
function describeToBrowser() {
  const header = getComputedStyle(document.querySelector("[data-md-component=header]"));
  meta("theme-color").content = header.backgroundColor;
  const declared = document.head.querySelector('meta[name="color-scheme"]')?.content ?? "light";
  if (declared !== header.colorScheme) meta("color-scheme").content = header.colorScheme;
}

function meta(name) {
  let element = document.head.querySelector(`meta[name="${name}"]`);
  if (!element) {
    element = document.createElement("meta");
    element.name = name;
    document.head.append(element);
  }
  return element;
}
