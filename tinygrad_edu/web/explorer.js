// The backprop explorer: shows one frame per step and a node's facts when it is clicked.
// All data comes from the JSON block written by tinygrad_edu.explorer; nothing is fetched.
"use strict";

const walk = JSON.parse(document.getElementById("walkthrough").textContent);
const frame = document.getElementById("frame");
const slider = document.getElementById("slider");
const previousButton = document.getElementById("previous");
const nextButton = document.getElementById("next");
const inspector = document.getElementById("inspector");
let current = 0;
let selected = null; // the DOT name of the inspected node

slider.max = String(walk.steps.length - 1);

function show(step) {
  current = Math.max(0, Math.min(walk.steps.length - 1, step));
  const info = walk.steps[current];
  frame.innerHTML = walk.frames[current];
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
  for (const g of frame.querySelectorAll("g.node")) {
    // an operation's oval ("v3_op") stands for the Value it makes ("v3")
    const name = g.querySelector("title").textContent.replace(/_op$/, "");
    if (!(name in walk.nodes)) continue;
    g.dataset.node = name;
    g.addEventListener("click", () => inspect(name));
    if (name === selected) g.classList.add("selected");
  }
  if (selected !== null) inspect(selected);
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

previousButton.addEventListener("click", () => show(current - 1));
nextButton.addEventListener("click", () => show(current + 1));
slider.addEventListener("input", () => show(Number(slider.value)));
document.getElementById("close-inspector").addEventListener("click", () => {
  selected = null;
  inspector.hidden = true;
  show(current);
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
