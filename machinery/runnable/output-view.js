/** The output area under a runnable block: streamed stdout and stderr, then notes on how the run ended. */
export class OutputView {
  constructor(container) {
    this.container = container;
    container.setAttribute("aria-live", "polite");
  }

  clear() {
    this.pre = document.createElement("pre");
    this.pre.className = "runnable__live";
    this.code = this.pre.appendChild(document.createElement("code"));
    this.code.tabIndex = 0; // long output scrolls: keyboard users must be able to reach it
    this.lastStream = null;
    this.truncated = false;
    this.container.replaceChildren(this.pre);
  }

  show({ chunks, truncated }) {
    for (const { stream, text } of chunks) this.append(stream, text);
    if (truncated && !this.truncated) {
      this.truncated = true;
      this.note("… output cut here: the run printed more than the page shows. It ran on to the end.");
    }
  }

  append(stream, text) {
    if (stream !== this.lastStream) {
      const node = stream === "stderr" ? document.createElement("span") : document.createTextNode("");
      if (stream === "stderr") node.className = "runnable__stderr";
      this.code.appendChild(node);
      this.lastStream = stream;
      this.tail = stream === "stderr" ? node.appendChild(document.createTextNode("")) : node;
    }
    this.tail.appendData(text);
  }

  /** A line of explanation under the output (not part of what the program printed). */
  note(text) {
    const notice = this.container.appendChild(document.createElement("p"));
    notice.className = "runnable__notice";
    notice.textContent = text;
  }
}
