// The one DOM builder of every page (kiosk, counter, display): nodes, never innerHTML, so
// texts from the server never become markup. Pages import it by its absolute path,
// "/static/dom.js", whichever blueprint serves them: the strict CSP allows no inline
// import map.

// h("span", { class: "x", dir: "ltr", onclick: fn, dataset: { id: 1 } }, "text", node, [more])
export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") node.className = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else if (name === "dataset") Object.assign(node.dataset, value);
    else node.setAttribute(name, value === true ? "" : value);
  }
  put(node, ...children);
  return node;
}

// Replace a node's children, skipping the empty ones (null for "nothing to show").
export function put(node, ...children) {
  node.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false)
    .map((c) => (c instanceof Node ? c : document.createTextNode(String(c)))));
}

// A ticket number is always one isolated left-to-right run.
export function numberNode(number, extra = "") {
  return h("bdi", { dir: "ltr", class: `number ${extra}`.trim() }, number);
}
