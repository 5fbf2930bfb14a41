// The backprop explorer: one SVG of the graph, changed step by step, and a node's facts on click.
// All data comes from the JSON block written by tinygrad_edu.explorer; nothing is fetched.
// Each frame describes how its step differs from the SVG as drawn (every value and gradient
// written in): which gradient texts changed, and what to outline; each node says at which step
// its value appears.
"use strict";

const walk = JSON.parse(document.getElementById("walkthrough").textContent);
const frame = document.getElementById("frame");
const slider = document.getElementById("slider");
const previousButton = document.getElementById("previous");
const nextButton = document.getElementById("next");
const inspector = document.getElementById("inspector");
const HIGHLIGHT = "#d62728";
const FADED = "0.25";
let current = 0;
let selected = null; // the DOT name of the inspected node

// The SVG's pieces, found once: each Value's record (its data and grad texts), its operation's
// oval, and the edges that make it ("v1->v3_op" and "v3_op->v3" belong to v3).
const records = [];
const nodeGroups = {};
const edgeGroups = {};
for (const g of frame.querySelectorAll("g.node, g.edge")) {
  const title = g.querySelector("title").textContent;
  if (g.classList.contains("node")) {
    nodeGroups[title] = g;
  } else {
    (edgeGroups[title] = edgeGroups[title] || []).push(g);
  }
}
for (let position = 0; `v${position}` in walk.nodes; position++) {
  const name = `v${position}`;
  const texts = nodeGroups[name].querySelectorAll("text");
  const data = texts[texts.length - 2]; // a record's last two fields: data, then grad
  records.push({
    name,
    group: nodeGroups[name],
    operation: nodeGroups[name + "_op"] || null,
    edges: [],
    data,
    dataText: data.textContent,
    grad: texts[texts.length - 1],
  });
}
const recordOf = Object.fromEntries(records.map((record) => [record.name, record]));
for (const [title, groups] of Object.entries(edgeGroups)) {
  const made = title.split("->")[1].replace(/_op$/, "");
  if (made in recordOf) recordOf[made].edges.push(...groups);
}

// Outlining changes attributes; each change is remembered so the next step can undo it.
let outlined = [];
let focus = null; // the first node or edge outlined at this step: the frame keeps it in view

function setAttribute(element, name, value) {
  outlined.push([element, name, element.getAttribute(name)]);
  element.setAttribute(name, value);
}

function clearOutlines() {
  for (const [element, name, value] of outlined.reverse()) {
    if (value === null) element.removeAttribute(name);
    else element.setAttribute(name, value);
  }
  outlined = [];
  focus = null;
}

function outline(group) {
  focus = focus || group;
  const isEdge = group.classList.contains("edge");
  for (const shape of group.children) {
    const tag = shape.tagName.toLowerCase();
    if (["polygon", "ellipse", "path", "polyline"].includes(tag)) {
      const stroke = shape.getAttribute("stroke");
      if (stroke !== null && stroke !== "none" && stroke !== "transparent") {
        setAttribute(shape, "stroke", HIGHLIGHT);
        setAttribute(shape, "stroke-width", "5");
      }
      if (tag === "polygon" && isEdge) setAttribute(shape, "fill", HIGHLIGHT);
    } else if (tag === "text" && isEdge) {
      setAttribute(shape, "fill", HIGHLIGHT);
    }
  }
}

function fade(group, faded) {
  if (faded) group.setAttribute("opacity", FADED);
  else group.removeAttribute("opacity");
}

// Draw step `current`: the gradients are those the frames up to it have written.
function paint() {
  clearOutlines();
  const change = walk.frames[current];
  const grads = {};
  for (let step = 0; step <= current; step++) Object.assign(grads, walk.frames[step].grads);
  records.forEach((record) => {
    const computed = current >= walk.nodes[record.name].data_step;
    record.data.textContent = computed ? record.dataText : "data";
    for (const group of [record.group, record.operation, ...record.edges]) {
      if (group !== null) fade(group, !computed);
    }
    record.grad.textContent = record.name in grads ? "grad " + grads[record.name] : "grad";
  });
  for (const name of change.outline || []) {
    outline(nodeGroups[name]);
    if (nodeGroups[name + "_op"]) outline(nodeGroups[name + "_op"]);
  }
  for (const [title, which] of change.edges || []) {
    const same = edgeGroups[title]; // a * a draws two edges with one title, in input order
    outline(same[same.length > 1 ? which : 0]);
  }
}

// The graph is shown at a readable size (Graphviz's 14-point text at least 12 pixels high),
// the frame scrolling to follow each step; the whole graph at once when it fits or on request.
const svg = frame.querySelector("svg");
const zoomButton = document.getElementById("zoom");
const PIXELS_PER_POINT = 4 / 3;
const READABLE = 12 / (14 * PIXELS_PER_POINT); // the scale at which such text is 12 pixels high
let wholeGraph = false;

function layout() {
  const naturalWidth = svg.viewBox.baseVal.width * PIXELS_PER_POINT;
  const naturalHeight = svg.viewBox.baseVal.height * PIXELS_PER_POINT;
  const tallest = 0.66 * window.innerHeight; // a fitted graph's max-height in the CSS: 66vh
  const fits = Math.min(frame.clientWidth / naturalWidth, tallest / naturalHeight) >= READABLE;
  const zoomed = !fits && !wholeGraph;
  frame.classList.toggle("zoomed", zoomed);
  svg.style.width = zoomed ? naturalWidth * READABLE + "px" : "";
  svg.style.maxWidth = zoomed ? "none" : naturalWidth + "px"; // never larger than drawn
  zoomButton.hidden = fits;
  zoomButton.textContent = wholeGraph ? "Readable size" : "Whole graph";
  follow();
}

// Scroll the frame, if it must, so that the current step's node, or its edge's label (the local
// derivative the step multiplies by), is in its middle.
function follow() {
  if (focus === null || !frame.classList.contains("zoomed")) return;
  const label = focus.classList.contains("edge") ? focus.querySelector("text") : null;
  const box = (label || focus).getBoundingClientRect();
  const view = frame.getBoundingClientRect();
  if (box.left < view.left || box.right > view.right) {
    frame.scrollLeft += (box.left + box.right - view.left - view.right) / 2;
  }
  if (box.top < view.top || box.bottom > view.bottom) {
    frame.scrollTop += (box.top + box.bottom - view.top - view.bottom) / 2;
  }
}

function show(step) {
  current = Math.max(0, Math.min(walk.steps.length - 1, step));
  const info = walk.steps[current];
  paint();
  follow();
  slider.value = String(current);
  previousButton.disabled = current === 0;
  nextButton.disabled = current === walk.steps.length - 1;
  const phase = document.getElementById("phase");
  phase.textContent = info.phase === "forward" ? "Forward pass" : "Backward pass";
  phase.className = "phase " + info.phase;
  document.getElementById("counter").textContent =
    "step " + (current + 1) + " of " + walk.steps.length;
  document.getElementById("line").textContent = info.line;
  document.getElementById("detail").textContent = info.detail;
  if (selected !== null) inspect(selected);
}

slider.max = String(walk.steps.length - 1);
for (const g of frame.querySelectorAll("g.node")) {
  // an operation's oval ("v3_op") stands for the Value it makes ("v3")
  const name = g.querySelector("title").textContent.replace(/_op$/, "");
  if (!(name in walk.nodes)) continue;
  g.dataset.node = name;
  g.addEventListener("click", () => inspect(name));
}

// What a node shows at the current step: its value once computed, its gradient as far as known.
function valueNow(node) {
  return current >= node.data_step ? node.data : "not computed yet";
}

function gradNow(node) {
  let known = null;
  for (const [step, text] of node.grads) if (step <= current) known = text;
  if (known === null) return "not reached yet";
  const last = node.grads[node.grads.length - 1][0];
  return current >= last ? known : known + " (so far)";
}

function fact(list, term, value) {
  const dt = document.createElement("dt");
  const dd = document.createElement("dd");
  dt.textContent = term;
  dd.textContent = value;
  dd.dataset.fact = term;
  list.append(dt, dd);
}

function inspect(name) {
  selected = name;
  const node = walk.nodes[name];
  for (const g of frame.querySelectorAll("g.node")) {
    g.classList.toggle("selected", g.dataset.node === name);
  }
  inspector.hidden = false;
  document.getElementById("inspector-name").textContent = node.name;
  const facts = document.getElementById("inspector-facts");
  facts.replaceChildren();
  fact(facts, "label", node.label || "(none)");
  fact(facts, "operation", node.op ? node.op + ":  " + node.name + " = " + node.formula : "none: a leaf");
  fact(facts, "data", valueNow(node));
  fact(facts, "grad", gradNow(node));
  const inputs = document.getElementById("inspector-inputs");
  inputs.replaceChildren();
  if (node.inputs.length === 0) {
    const item = document.createElement("li");
    item.textContent = "none: a leaf has no inputs";
    inputs.append(item);
  }
  for (const input of node.inputs) {
    const item = document.createElement("li");
    const rule = document.createElement("code");
    rule.textContent = input.rule;
    item.append(input.name + " = " + input.data + "; local derivative " + input.local_grad + " by ", rule);
    inputs.append(item);
  }
}

zoomButton.addEventListener("click", () => {
  wholeGraph = !wholeGraph;
  layout();
});
window.addEventListener("resize", layout);
previousButton.addEventListener("click", () => show(current - 1));
nextButton.addEventListener("click", () => show(current + 1));
slider.addEventListener("input", () => show(Number(slider.value)));
document.getElementById("close-inspector").addEventListener("click", () => {
  selected = null;
  inspector.hidden = true;
  for (const g of frame.querySelectorAll("g.node.selected")) g.classList.remove("selected");
});
document.addEventListener("keydown", (event) => {
  if (event.target === slider) return; // the slider moves itself with the arrow keys
  const moves = { ArrowLeft: current - 1, ArrowRight: current + 1, Home: 0, End: walk.steps.length - 1 };
  if (event.key in moves) {
    event.preventDefault();
    show(moves[event.key]);
  }
});

show(0);
layout();
