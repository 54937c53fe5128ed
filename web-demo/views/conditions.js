// Condition chips (type, status, reason; the message on hover): how the jobs table and the
// execution cards show a resource's conditions.

import { h } from "../lib/dom.js";

/** The conditions of a resource as chips (type, status, reason; message on hover). */
export function conditionChips(conditions = []) {
  return h(
    "ul",
    { class: "conds", "aria-label": "Conditions" },
    conditions.map((c) =>
      h(
        "li",
        {
          class: `cond cond-${c.status}${c.severity ? ` sev-${c.severity}` : ""}`,
          title: [c.message, c.lastTransitionTime && `since ${c.lastTransitionTime}`].filter(Boolean).join(" · "),
          "data-condition": c.type,
          "data-status": c.status,
        },
        h("span", { class: "cond-type" }, c.type),
        ` ${c.status}`,
        c.reason ? h("span", { class: "cond-reason" }, ` · ${c.reason}`) : null,
      ),
    ),
  );
}
