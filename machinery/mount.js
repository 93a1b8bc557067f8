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
