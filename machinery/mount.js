/**
 * What every component does on each page Material shows (see site.js): let go of the
 * blocks of the page left behind, and set up the new ones.
 *
 * Returns mount(root) for blocks matching `selector`: `create(element)` builds a component
 * (with a dispose() method) for each new one; each element is marked with data-mounted so
 * it is set up once.
 */
export function mounter(selector, create) {
  const mounted = new Map(); // element -> component
  return function mount(root) {
    for (const [element, component] of mounted) {
      if (element.isConnected) continue;
      component.dispose();
      mounted.delete(element);
    }
    for (const element of root.querySelectorAll(`${selector}:not([data-mounted])`)) {
      element.dataset.mounted = "";
      mounted.set(element, create(element));
    }
  };
}

const watchers = new Map(); // rootMargin -> {observer, callbacks: element -> callback}

/**
 * Call `onChange(near)` each time `element` comes within `margin` of the viewport (an
 * IntersectionObserver rootMargin, e.g. "600px 0px") or leaves it, starting with where it
 * is now. Returns a function that stops watching.
 */
export function watchNear(element, margin, onChange) {
  let watcher = watchers.get(margin);
  if (!watcher) {
    const callbacks = new Map();
    const observer = new IntersectionObserver((entries) => {
      for (const entry of entries) callbacks.get(entry.target)?.(entry.isIntersecting);
    }, { rootMargin: margin });
    watcher = { observer, callbacks };
    watchers.set(margin, watcher);
  }
  watcher.callbacks.set(element, onChange);
  watcher.observer.observe(element);
  return () => {
    watcher.callbacks.delete(element);
    watcher.observer.unobserve(element);
  };
}

/**
 * Call `callback` once, when `element` comes within `margin` of the viewport. Work put off
 * this way costs a page nothing at load for blocks far down it. Returns a function that
 * cancels the wait.
 */
export function whenNear(element, margin, callback) {
  const stop = watchNear(element, margin, (near) => {
    if (!near) return;
    stop();
    callback();
  });
  return stop;
}

/**
 * Put in place the content a page ships inert, in a <template> that is `element`'s child
 * (figure.html, live.html): a picture the reader may never ask for costs the page no
 * elements until it is first shown. Returns `element`.
 */
export function unpack(element) {
  const inert = element.querySelector(":scope > template:not([data-src])"); // one still to fetch stays put
  if (inert) inert.replaceWith(inert.content);
  return element;
}

/**
 * The text of a file the build put off (machinery/deferred.py), named relative to the
 * site's bundle, beside which it sits: this module is bundled into assets/site/site.js.
 */
export async function fetchDeferred(name) {
  const response = await fetch(new URL(name, import.meta.url));
  if (!response.ok) throw new Error(`${name} did not load (HTTP ${response.status})`);
  return response.text();
}

/**
 * Fill every empty <template data-src> under `root` with the file it names, once; unpack()
 * then puts its content in place when it is shown.
 */
export function fillDeferred(root) {
  return Promise.all(
    [...root.querySelectorAll("template[data-src]")].map(async (inert) => {
      inert.innerHTML = await fetchDeferred(inert.dataset.src);
      inert.removeAttribute("data-src");
    }),
  );
}
