// The inspector's "Event log" tab: a row per event (click one to travel there) and the envelope
// of the event shown. Rows are appended as the log grows and only the rows between the old and
// the new slider position change class, so a frame costs the new events, not the whole log;
// while the tab is hidden nothing is drawn (the frame that shows it catches up).

import { h, elements } from "../lib/dom.js";
import { describeEvent } from "../lib/timeline.js";
import { formatClock } from "../lib/time.js";
import { eventMicros } from "./clock.js";

const el = elements("events-table", "event-h", "event-json", "panel-events");
const tbody = el.eventsTable.tBodies[0];

/** Marks a row as the event shown (`current`) or one after it (`future`). */
function mark(tr, seq, k) {
  tr.classList.toggle("current", seq === k);
  tr.classList.toggle("future", seq > k);
  if (seq === k) tr.setAttribute("aria-current", "true");
  else tr.removeAttribute("aria-current");
}

/** Scrolls the current row into view (when the tab is switched to). */
export function revealCurrentEvent() {
  tbody.querySelector("tr.current")?.scrollIntoView({ block: "nearest" });
}

/** `ctx.travelTo(k)`: what clicking an event's type does. */
export function eventsView(ctx) {
  let epoch = null;
  let rows = [];
  let shownK = 0;
  return function renderEvents(state, { view }) {
    if (el.panelEvents.hidden) return;
    const s = state.session;
    const k = view.k;
    if (epoch !== s.events) {
      epoch = s.events;
      rows = [];
      tbody.replaceChildren();
      shownK = -1;
    }
    if (rows.length < s.events.length) {
      const start = s.worldStart;
      const fragment = document.createDocumentFragment();
      for (const e of s.events.slice(rows.length)) {
        const tr = h(
          "tr",
          { "data-seq": e.sequence },
          h("td", {}, String(e.sequence)),
          h("td", {}, formatClock(eventMicros(e), start)),
          h("td", {}, h("button", { type: "button", class: "link", tabindex: "-1", onclick: () => ctx.travelTo(e.sequence) }, e.type)),
          h("td", { class: "muted" }, e.stream),
          h("td", {}, describeEvent(e)),
        );
        mark(tr, e.sequence, k);
        rows.push(tr);
        fragment.append(tr);
      }
      tbody.append(fragment);
    }
    if (shownK === k) return;
    // New rows were marked as they were made; old ones change only between the two positions.
    if (shownK >= 0) {
      for (let seq = Math.max(1, Math.min(shownK, k)); seq <= Math.min(Math.max(shownK, k), rows.length); seq++) mark(rows[seq - 1], seq, k);
    }
    shownK = k;
    const current = s.events[k - 1];
    el.eventH.textContent = current ? `Event ${current.sequence}: ${current.type}` : "Event";
    el.eventJson.textContent = current ? JSON.stringify(current, null, 2) : "";
    rows[k - 1]?.scrollIntoView({ block: "nearest" });
  };
}
