// The node-level view: one Graphviz SVG of the graph, changed step by step, and a node's facts.
// Each frame describes how its step differs from the SVG as drawn (every value and gradient
// written in): which gradient texts changed, and what to outline; each node says at which step
// its value appears, and with it the local derivatives on the edges into its operation.  A view
// may come in several layouts (left to right, top to bottom): the page shows the one that fits
// best, and the view paints whichever is shown.

class GraphView extends View {
  constructor(spec, svgs) {
    // never larger than Graphviz draws it (points to pixels)
    super(spec, svgs, "graph", { fitMin: 10, readable: 12, maxScale: 4 / 3 });
    this.outlined = [];
  }

  // The SVG's pieces, found once: each Value's record (its data and grad texts), its
  // operation's oval, and the edges that make it ("v1->v3_op" and "v3_op->v3" belong to v3).
  index(svg) {
    const nodeGroups = {};
    const edgeGroups = {};
    for (const g of svg.querySelectorAll("g.node, g.edge")) {
      const title = g.querySelector("title").textContent;
      if (g.classList.contains("node")) nodeGroups[title] = g;
      else (edgeGroups[title] = edgeGroups[title] || []).push(g);
    }
    const records = [];
    for (let position = 0; `v${position}` in this.spec.nodes; position++) {
      const name = `v${position}`;
      // a Value without a record of its own (a running total that a neuron's rail stands for)
      // still has its operation and its edges
      const group = nodeGroups[name] || null;
      const texts = group ? group.querySelectorAll("text") : [];
      const data = texts[texts.length - 2] || null; // a record's last two fields: data, then grad
      records.push({
        name,
        group,
        operation: nodeGroups[name + "_op"] || null,
        edges: [],
        data,
        dataText: data ? data.textContent : "",
        grad: texts[texts.length - 1] || null,
      });
    }
    const recordOf = Object.fromEntries(records.map((record) => [record.name, record]));
    for (const [title, groups] of Object.entries(edgeGroups)) {
      const made = title.split("->")[1].replace(/_op$/, "");
      if (made in recordOf) recordOf[made].edges.push(...groups);
    }
    for (const record of records) {
      record.edgeTexts = record.edges.flatMap((g) => [...g.querySelectorAll("text")]);
    }
    for (const g of svg.querySelectorAll("g.node")) {
      // an operation's oval ("v3_op") stands for the Value it makes ("v3")
      const name = g.querySelector("title").textContent.replace(/_op$/, "");
      if (name in this.spec.nodes) g.dataset.node = name;
    }
    const sizes = [...svg.querySelectorAll("text")].map((t) =>
      Number(t.closest("[font-size]").getAttribute("font-size")),
    );
    const box = svg.viewBox.baseVal;
    return { svg, nodeGroups, edgeGroups, records, width: box.width, height: box.height,
             smallest: Math.min(...sizes.filter((s) => s > 0)) };
  }

  setAttribute(element, name, value) {
    this.outlined.push([element, name, element.getAttribute(name)]);
    element.setAttribute(name, value);
  }

  clearOutlines() {
    for (const [element, name, value] of this.outlined.reverse()) {
      if (value === null) element.removeAttribute(name);
      else element.setAttribute(name, value);
    }
    this.outlined = [];
    this.focus = null;
  }

  outline(group) {
    this.focus = this.focus || group;
    const isEdge = group.classList.contains("edge");
    for (const shape of group.children) {
      const tag = shape.tagName.toLowerCase();
      if (["polygon", "ellipse", "path", "polyline"].includes(tag)) {
        const stroke = shape.getAttribute("stroke");
        if (stroke !== null && stroke !== "none" && stroke !== "transparent") {
          this.setAttribute(shape, "stroke", HIGHLIGHT);
          this.setAttribute(shape, "stroke-width", "5");
        }
        if (tag === "polygon" && isEdge) this.setAttribute(shape, "fill", HIGHLIGHT);
      } else if (tag === "text" && isEdge) {
        this.setAttribute(shape, "fill", HIGHLIGHT);
      }
    }
  }

  // Draw step `step` on the shown layout: the gradients are those the frames up to it wrote.
  paint(step) {
    const { nodeGroups, edgeGroups, records } = this.pieces[this.shown];
    this.clearOutlines();
    const change = this.spec.frames[step];
    const grads = {};
    for (let k = 0; k <= step; k++) Object.assign(grads, this.spec.frames[k].grads);
    for (const record of records) {
      const computed = step >= this.spec.nodes[record.name].data_step;
      if (record.data !== null) record.data.textContent = computed ? record.dataText : "data";
      for (const group of [record.group, record.operation, ...record.edges]) {
        if (group === null) continue;
        if (computed) group.removeAttribute("opacity");
        else group.setAttribute("opacity", FADED);
      }
      // an edge's local derivative is a number of the forward pass: it shows once computed
      for (const text of record.edgeTexts) {
        if (computed) text.removeAttribute("visibility");
        else text.setAttribute("visibility", "hidden");
      }
      if (record.grad !== null) {
        record.grad.textContent = record.name in grads ? "grad " + grads[record.name] : "grad";
      }
    }
    for (const name of change.outline || []) {
      if (nodeGroups[name]) this.outline(nodeGroups[name]);
      if (nodeGroups[name + "_op"]) this.outline(nodeGroups[name + "_op"]);
    }
    for (const [title, which] of change.edges || []) {
      const same = edgeGroups[title]; // a * a draws two edges with one title, in input order
      this.outline(same[same.length > 1 ? which : 0]);
    }
  }

  // The element to keep in view: the current node, or the label of the current edge (the
  // local derivative the step multiplies by).
  focusElement() {
    if (this.focus === null) return null;
    return (this.focus.classList.contains("edge") && this.focus.querySelector("text")) || this.focus;
  }

  // The element that a click on `target` selects: the name of a node, or null.
  clicked(target) {
    const g = target.closest("g.node");
    return g && g.dataset.node ? g.dataset.node : null;
  }

  select(name) {
    for (const g of this.pieces[this.shown].svg.querySelectorAll("g.node")) {
      g.classList.toggle("selected", name !== null && g.dataset.node === name);
    }
  }
  unhover() {} // its hover is the stylesheet's own (:hover), which forgets the pointer itself
}
