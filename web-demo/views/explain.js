// The explain line of an execution: the core's own `explain` (why it ended as it did, the text
// `jobsim explain` prints), or, once it is gone from the API, when it was deleted.

import { formatClock } from "../lib/time.js";
import { describeError } from "./messages.js";

/** `resource`: the execution as the API shows it at the view's moment, or null when it is gone. */
export function explainLine(view, x, resource, start) {
  if (!resource) return `${x.name} was deleted at ${formatClock(x.deletedAt, start)}.`;
  try {
    return view.sim.explain(x.name);
  } catch (error) {
    return describeError(error).join(" ");
  }
}
