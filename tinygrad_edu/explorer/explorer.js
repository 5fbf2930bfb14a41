// The explorer: one view at a time (the network, a neuron's graph, or a whole graph node by
// node), stepped through with the slider, the buttons and the arrow keys, the current step's
// chain rule on the card.  All data comes from the JSON block the page was written with;
// nothing is fetched.  Each view's pictures wait in a <template> until the view is opened.
//
// For tests and notebooks: <body> carries data-ready="true" once the page is drawn,
// data-view (the view's name: "main" or "neuron:<layer>.<index>") and data-step (from 0).

const data = JSON.parse(document.getElementById("walkthrough").textContent);
const main = document.getElementById("main");
const frame = document.getElementById("frame");
const slider = document.getElementById("slider");
const previousButton = document.getElementById("previous");
const nextButton = document.getElementById("next");
const zoomButton = document.getElementById("zoom");
const backButton = document.getElementById("back");
const notice = document.getElementById("notice");
const inspector = document.getElementById("inspector");
const HIGHLIGHT = "#d62728"; // the current step, as the pictures outline it
const FADED = "0.25"; // the opacity of what the forward pass has not computed yet
const NARROW = 720; // below this width the card goes under the picture, always
const NO_BREAK_SPACE = "\u00a0"; // joins the words of a name the card keeps on one line
const STACKED_PICTURE = 160; // the least height of the picture above the card, in pixels
const SMALLEST_WHOLE = 8; // "Whole graph" never shows text smaller than this, in pixels

const views = {};
let viewName = "main";
let view = null;
let current = 0;
let mainStep = 0; // where the network view was when a neuron was opened
let selected = null; // the node the inspector shows
let wholeGraph = false;

function makeView(name) {
  const template = document.querySelector(`template[data-view="${name}"]`);
  const svgs = [...template.content.cloneNode(true).querySelectorAll("svg")];
  const spec = data.views[name];
  return spec.kind === "network" ? new NetworkView(spec, svgs) : new GraphView(spec, svgs);
}

function open(name, step) {
  viewName = name;
  view = views[name] = views[name] || makeView(name);
  const spec = data.views[name];
  document.body.dataset.view = name;
  backButton.hidden = name === "main";
  document.getElementById("view-title").textContent = spec.title || "";
  for (const legend of document.querySelectorAll("[data-legend]")) {
    legend.hidden = legend.dataset.legend !== view.kind;
  }
  closeInspector();
  view.unhover(); // the pointer left this view's picture unseen when another view opened
  wholeGraph = false;
  slider.max = String(view.count - 1);
  layout();
  show(step);
}

// ---------------------------------------------------------------- steps and the card

function show(step) {
  current = Math.max(0, Math.min(view.count - 1, step));
  view.paint(current);
  follow();
  slider.value = String(current);
  previousButton.disabled = current === 0;
  nextButton.disabled = current === view.count - 1;
  writeCard(current);
  if (selected !== null) inspect(selected);
  endCardsBetweenLines();
  document.body.dataset.step = String(current);
}

// The card of `step`: its pass, its number, its lines of the chain rule and what they mean.
function writeCard(step) {
  const info = view.caption(step);
  const phase = document.getElementById("phase");
  phase.textContent = info.phase === "forward" ? "Forward pass" : "Backward pass";
  phase.className = "phase " + info.phase;
  document.getElementById("counter").textContent = `step ${step + 1} of ${view.count}`;
  const lines = document.getElementById("line");
  lines.replaceChildren(...info.lines.map(formulaLine));
  breakWideWords(lines);
  document.getElementById("detail").replaceChildren(...words(info.detail));
}

// ---------------------------------------------------------------- the panels

// The panels' cards in the order they get their room: a card with too little room scrolls in
// its own box, and that box ends between two lines of its text, so that no line shows in part.
// A card left without room for a single line is not shown at all.
function endCardsBetweenLines() {
  for (const card of document.querySelectorAll(".panels > .card")) {
    card.style.maxHeight = "";
    card.classList.remove("no-room", "cut");
  }
  if (window.innerWidth < NARROW) return; // the page scrolls as a whole: every card is whole
  for (const card of document.querySelectorAll(".panels > .card")) {
    if (card.hidden || card.scrollHeight <= card.clientHeight + 1) continue;
    card.scrollTop = 0;
    const top = card.getBoundingClientRect().top + card.clientTop;
    const lines = textLines(card).map((line) => ({ top: line.top - top, bottom: line.bottom - top }));
    const room = card.clientHeight;
    const ends = lines.map((line) => line.bottom).filter((bottom) => bottom <= room);
    const between = (end) => !lines.some((line) => line.top < end - 0.5 && line.bottom > end + 0.5);
    const end = Math.max(0, ...ends.filter(between));
    card.style.maxHeight = `${end + 2 * card.clientTop}px`; // the line's end, and the borders
    card.classList.add(end === 0 ? "no-room" : "cut");
  }
}

// The boxes of the lines of text inside `element`, one per line of each text node.
function textLines(element) {
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  const lines = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.data.trim()) continue;
    range.selectNodeContents(node);
    for (const box of range.getClientRects()) if (box.width > 0) lines.push(box);
  }
  return lines;
}

// A line of the card: a formula, whose second and later lines are indented.
function formulaLine(text) {
  const line = document.createElement("div");
  line.className = "formula";
  line.append(...words(text));
  return line;
}

// Text that may wrap only between its words, at plain spaces: each word (a name, a number, an
// operator) is kept whole, and a name written with no-break spaces is one word.
function words(text) {
  const pieces = [];
  for (const piece of text.split(/( +)/)) {
    if (piece === "") continue;
    pieces.push(piece.startsWith(" ") ? " " : token(piece));
  }
  return pieces;
}

function token(text) {
  const span = document.createElement("span");
  span.className = "token";
  span.textContent = text;
  return span;
}

// A word of the card wider than its line (∂L/∂a[2][0]·sigmoid′(z[2][0]) in a narrow card) may
// end a line after a "·" that joins two of its names or numbers, and only such a word: the
// others keep to the plain spaces.  A name written with no-break spaces stays whole.
function breakWideWords(lines) {
  for (const line of lines.children) {
    const room = line.clientWidth - parseFloat(getComputedStyle(line).paddingLeft);
    for (const word of [...line.querySelectorAll(".token")]) {
      const text = word.textContent;
      if (word.offsetWidth <= room + 0.5 || text.includes(NO_BREAK_SPACE)) continue;
      const parts = text.split(/(?<=·)(?=.)/).map(token);
      const broken = parts.flatMap((part, k) => (k ? [document.createElement("wbr"), part] : [part]));
      word.replaceWith(...broken);
    }
  }
}

// ---------------------------------------------------------------- fitting the picture

// Choose where the card goes (beside the picture or under it) and which layout of the
// picture to show, so that its text is as large as the window allows; show it whole when
// its text is then readable, else at a readable size, the frame following the step.
function layout() {
  fitSubtitle();
  fitStacked();
  const variants = view.variants();
  const arrangements = window.innerWidth < NARROW ? ["below"] : ["beside", "below"];
  let best = null;
  for (const arrangement of arrangements) {
    main.dataset.arrangement = arrangement;
    const width = frame.clientWidth - 4;
    const height = frame.clientHeight - 4;
    variants.forEach((variant, index) => {
      const scale = Math.min(width / variant.width, height / variant.height, view.maxScale);
      const text = scale * variant.smallest;
      if (best === null || text > best.text + 0.05) best = { arrangement, index, scale, text };
    });
  }
  main.dataset.arrangement = best.arrangement;
  if (view.shown !== best.index || !frame.contains(view.svgs[best.index])) {
    view.shown = best.index;
    frame.replaceChildren(view.svgs[best.index]);
  }
  const variant = variants[best.index];
  const fits = best.text >= view.fitMin;
  const wholeIsReadable = best.text >= SMALLEST_WHOLE;
  let scale = best.scale;
  if (!fits && !(wholeGraph && wholeIsReadable)) {
    // at the readable size, scrolling; or, when that is a little too large to fit one
    // way, as wide (or as tall) as the frame, scrolling the other way only
    const bar = 18; // room for the scroll bar across the other way
    const filled = Math.max(
      (frame.clientWidth - bar) / variant.width,
      (frame.clientHeight - bar) / variant.height,
    );
    const readable = view.readable / variant.smallest;
    scale = filled * variant.smallest >= view.fitMin ? Math.min(filled, readable) : readable;
  }
  const zoomed = scale > best.scale + 1e-6;
  const svg = view.svgs[view.shown];
  svg.style.width = variant.width * scale + "px";
  svg.style.height = variant.height * scale + "px";
  frame.classList.toggle("zoomed", zoomed);
  zoomButton.hidden = fits;
  zoomButton.textContent = wholeGraph && wholeIsReadable ? "Readable size" : "Whole graph";
  notice.hidden = !(wholeGraph && !wholeIsReadable);
  notice.textContent =
    "The whole graph would need text smaller than " + SMALLEST_WHOLE + " pixels here, so it " +
    "stays at a readable size: scroll, or follow the steps.";
  view.paint(current);
  follow();
  writeCard(Math.min(current, view.count - 1)); // its words broken for the card's new width
  endCardsBetweenLines();
}

// Under NARROW the page is one column: the picture with its controls, the step's card, then the
// key (and the inspector).  The card keeps the height of the tallest step's card at this width,
// and the picture gets the room that the window's height leaves above it: the picture and every
// step's card are then seen whole together without scrolling (in a notebook's frame of 640 px
// too), and the key starts below the window's bottom edge, scrolled to, never cut by it.  Only
// a window too low for a picture of STACKED_PICTURE px scrolls to the end of the card.
function fitStacked() {
  const card = document.getElementById("card");
  main.style.removeProperty("--picture-height");
  card.style.minHeight = "";
  if (window.innerWidth >= NARROW) return;
  main.dataset.arrangement = "below"; // the card as wide as it will be
  let tallest = 0;
  for (let step = 0; step < view.count; step++) {
    writeCard(step);
    tallest = Math.max(tallest, card.offsetHeight);
  }
  writeCard(Math.min(current, view.count - 1));
  card.style.minHeight = tallest + "px";
  const style = getComputedStyle(main);
  const above = document.querySelector(".stage").getBoundingClientRect().top + window.scrollY;
  const below = parseFloat(style.rowGap) + tallest + parseFloat(style.paddingBottom);
  const room = Math.floor(window.innerHeight - above - below);
  main.style.setProperty("--picture-height", Math.max(STACKED_PICTURE, room) + "px");
}

// The subtitle keeps to one line: the root's formula and value first, then what it says of the
// graph, its parts dropped from the last while they do not fit beside the title.  When the
// formula alone does not fit there, the subtitle takes a line of its own under the title, and
// wraps between its words only if it must: the root's value is never cut.
function fitSubtitle() {
  const subtitle = document.querySelector(".subtitle");
  const parts = [...subtitle.querySelectorAll(".part")];
  const fits = () => subtitle.scrollWidth <= subtitle.clientWidth + 1;
  for (const ownLine of [false, true]) {
    subtitle.classList.toggle("own-line", ownLine);
    subtitle.classList.remove("wraps");
    parts.forEach((part) => (part.hidden = false));
    for (let k = parts.length - 1; k > 0 && !fits(); k--) parts[k].hidden = true;
    if (fits()) return;
  }
  subtitle.classList.add("wraps"); // the formula alone, on as many lines as it needs
}

// Lay out again whenever the page's size changes, at the same step: a window or a notebook's
// cell resized, a frame that a notebook first lays out hidden or at no width and gives its real
// size later (JupyterLab does), or a scroll bar that comes or goes.  Only a change of the size
// counts, so the layout's own changes (the card beside or under the picture) start no loop.
function watchSize() {
  const page = document.documentElement;
  let laidOutFor = "";
  const again = () => {
    const size = `${page.clientWidth}x${page.clientHeight}`;
    if (size === laidOutFor) return;
    laidOutFor = size;
    layout();
  };
  if (typeof ResizeObserver === "undefined") {
    window.addEventListener("resize", again);
    return;
  }
  new ResizeObserver(() => requestAnimationFrame(again)).observe(page);
  window.addEventListener("resize", () => requestAnimationFrame(again));
}

// Scroll the frame, if it must, so that the current step's element is in its middle.
function follow() {
  const element = view.focusElement();
  if (element === null || !frame.classList.contains("zoomed")) return;
  const box = element.getBoundingClientRect();
  const area = frame.getBoundingClientRect();
  if (box.left < area.left || box.right > area.right) {
    frame.scrollLeft += (box.left + box.right - area.left - area.right) / 2;
  }
  if (box.top < area.top || box.bottom > area.bottom) {
    frame.scrollTop += (box.top + box.bottom - area.top - area.bottom) / 2;
  }
}

// ---------------------------------------------------------------- the inspector

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
  const node = view.spec.nodes[name];
  view.select(name);
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
  endCardsBetweenLines();
}

function closeInspector() {
  selected = null;
  inspector.hidden = true;
  if (view !== null) view.select(null);
  endCardsBetweenLines();
}

// ---------------------------------------------------------------- moving around

function openNeuron(key) {
  const times = data.views.main.neurons[key];
  const name = "neuron:" + key;
  mainStep = current;
  const reached = data.views.main.steps[current].phase === "backward" && current >= times.backward;
  const forwardSteps = data.views[name].steps.filter((s) => s.phase === "forward").length;
  open(name, reached ? forwardSteps : 0);
}

function back() {
  if (viewName !== "main") open("main", mainStep);
}

frame.addEventListener("click", (event) => {
  const target = view.clicked(event.target);
  if (target === null) return;
  if (view.kind === "network") openNeuron(target);
  else inspect(target);
});
backButton.addEventListener("click", back);
zoomButton.addEventListener("click", () => {
  wholeGraph = !wholeGraph;
  layout();
});
watchSize();
previousButton.addEventListener("click", () => show(current - 1));
nextButton.addEventListener("click", () => show(current + 1));
slider.addEventListener("input", () => show(Number(slider.value)));
document.getElementById("close-inspector").addEventListener("click", closeInspector);
document.addEventListener("keydown", (event) => {
  if (event.key === "Escape" && viewName !== "main") {
    back();
    return;
  }
  if (event.target === slider) return; // the slider moves itself with the arrow keys
  const moves = { ArrowLeft: current - 1, ArrowRight: current + 1, Home: 0, End: view.count - 1 };
  if (event.key in moves) {
    event.preventDefault();
    show(moves[event.key]);
  }
});

open("main", 0);
document.body.dataset.ready = "true";
