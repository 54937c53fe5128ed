// The permalink: the URL's hash always holds the scenario (rewritten after every change, off the
// frame: compressing is asynchronous), opening a link replays it, and Copy link copies it.

import { elements } from "../lib/dom.js";
import { decodeScenario, encodeScenario } from "../lib/permalink.js";
import { describeError, showGlobalError, status } from "../views/messages.js";
import { selectTab } from "../views/tabs.js";
import { loadScenario } from "./load.js";

const el = elements("permalink");

export function permalinks(ctx) {
  const { state } = ctx;
  let seq = 0;

  /** Writes the scenario into the hash (the newest change wins). */
  function schedule() {
    const mine = ++seq;
    if (!state.session || state.session.readOnly) {
      el.permalink.value = "(not available for an imported event log)";
      if (location.hash) history.replaceState(null, "", location.pathname + location.search);
      state.lastHash = "";
      return;
    }
    encodeScenario(state.session.scenario()).then((hash) => {
      if (mine !== seq) return;
      state.lastHash = `#${hash}`;
      if (location.hash !== state.lastHash) history.replaceState(null, "", state.lastHash);
      el.permalink.value = location.href;
    }, showGlobalError);
  }

  async function onCopyLink() {
    if (state.session.readOnly) throw new Error("An imported event log has no scenario to link to.");
    const link = `${location.origin}${location.pathname}${location.search}#${await encodeScenario(state.session.scenario())}`;
    try {
      await navigator.clipboard.writeText(link);
      status("Copied the link: it reproduces this run exactly.");
    } catch {
      el.permalink.focus();
      el.permalink.select();
      status("Select and copy the link from the Scenario tab.");
    }
    selectTab("scenario");
  }

  /** Loads the link's scenario; false when the hash holds none or it cannot be loaded (said). Throws when damaged. */
  async function loadFromHash() {
    const scenario = await decodeScenario(location.hash);
    if (!scenario) return false;
    try {
      loadScenario(ctx, scenario, { source: "the scenario in the link" });
    } catch (error) {
      showGlobalError(new Error(`The link's scenario could not be loaded: ${describeError(error).join(" ")}`));
      return false;
    }
    return true;
  }

  /** A hash the page did not write itself: another link pasted into the address bar. */
  async function onHashChange() {
    if (location.hash && location.hash !== state.lastHash) await loadFromHash();
  }

  return { schedule, onCopyLink, loadFromHash, onHashChange };
}
