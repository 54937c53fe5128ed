// DOM helpers of the demo: element building, element maps, select options, downloads.

/** `h("button", {class, onclick, ...attributes}, ...children)`: a new element. */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") el.className = v;
    else if (k === "text") el.textContent = v;
    else if (k === "style") el.setAttribute("style", v);
    else if (k.startsWith("on") && typeof v === "function") el.addEventListener(k.slice(2), v);
    else if (k === "value") el.value = v;
    else if (k === "checked" || k === "selected" || k === "disabled") el[k] = Boolean(v);
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

/** Fills a select with `[{value, label}]` (only when they changed) and selects `value`. */
export function setOptions(select, items, value) {
  const key = JSON.stringify(items);
  if (select.dataset.items !== key) {
    select.replaceChildren(...items.map((it) => h("option", { value: it.value }, it.label)));
    select.dataset.items = key;
  }
  if (items.some((it) => it.value === value)) select.value = value;
  else if (items.length) select.value = items[0].value;
}

/** Offers `text` as a file download. */
export function download(name, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h("a", { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * The elements with these ids, looked up once (a module keeps the map instead of searching the
 * document on every frame), keyed in camelCase: `elements("now-clock").nowClock`. A missing id
 * throws at once, so a renamed element fails the page's load rather than a later click.
 */
export function elements(...ids) {
  const out = {};
  for (const id of ids) {
    const el = document.getElementById(id);
    if (!el) throw new Error(`the page has no element #${id}`);
    out[id.replace(/-([a-zA-Z])/g, (_, c) => c.toUpperCase())] = el;
  }
  return out;
}

/**
 * Makes `container`'s children exactly `nodes`, in order, moving only what is out of place:
 * nodes kept from an earlier frame stay in the document (no re-layout, focus kept).
 */
export function placeChildren(container, nodes) {
  let i = 0;
  for (const node of nodes) {
    const at = container.children[i];
    if (at !== node) container.insertBefore(node, at ?? null);
    i++;
  }
  while (container.children.length > nodes.length) container.lastElementChild.remove();
}
