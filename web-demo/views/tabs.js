// The inspector's tabs (Resource JSON, Event log, Scenario): one shown at a time, arrow keys,
// Home and End move between them as the ARIA tab pattern asks.

import { elements } from "../lib/dom.js";
import { revealCurrentEvent } from "./events.js";

const ORDER = ["resource", "events", "scenario"];
const el = elements(...ORDER.flatMap((t) => [`tab-${t}`, `panel-${t}`]));
const tab = (name) => el[`tab${name[0].toUpperCase()}${name.slice(1)}`];
const panel = (name) => el[`panel${name[0].toUpperCase()}${name.slice(1)}`];

export function selectTab(name, focus = false) {
  for (const t of ORDER) {
    const on = t === name;
    tab(t).setAttribute("aria-selected", on ? "true" : "false");
    tab(t).tabIndex = on ? 0 : -1;
    panel(t).hidden = !on;
    if (on && focus) tab(t).focus();
  }
  if (name === "events") revealCurrentEvent();
}

function onTabKey(event, onSelect) {
  const current = ORDER.findIndex((t) => tab(t).getAttribute("aria-selected") === "true");
  let next = null;
  if (event.key === "ArrowRight") next = (current + 1) % ORDER.length;
  else if (event.key === "ArrowLeft") next = (current + ORDER.length - 1) % ORDER.length;
  else if (event.key === "Home") next = 0;
  else if (event.key === "End") next = ORDER.length - 1;
  if (next === null) return;
  event.preventDefault();
  selectTab(ORDER[next], true);
  onSelect();
}

/** Clicks and keys of the tab buttons; `onSelect()` after each switch (a frame: a hidden tab is not drawn). */
export function wireTabs(onSelect) {
  for (const t of ORDER) {
    tab(t).addEventListener("click", () => {
      selectTab(t);
      onSelect();
    });
    tab(t).addEventListener("keydown", (event) => onTabKey(event, onSelect));
  }
}
