/*
 * The site's one JavaScript entry (bundled by machinery/bundle.py into assets/site/site.js).
 *
 * Material's instant navigation swaps the page content without reloading scripts, and
 * announces each new page through its document$ observable (it also replays the first).
 * On each page every component mounts the blocks it finds and lets go of those of the
 * page left behind. Each component lives in its fence's folder.
 */

import { mount as mountComparisons } from "./live/compare.js";
import { mount as mountLive } from "./live/live.js";
import { mount as mountRunnable } from "./runnable/runnable.js";
import { mountPalette } from "./palette.js";

// Runnable blocks first: a live block drives the runnable block inside it.
const components = [mountRunnable, mountLive, mountComparisons];

// The header stays when Material navigates, and its light/dark toggle with it: mounted once.
const palette = document.querySelector("form[data-site-palette]");
if (palette) mountPalette(palette);

function mountPage() {
  for (const mount of components) mount(document);
}

if (globalThis.document$) globalThis.document$.subscribe(mountPage);
else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mountPage);
else mountPage();
