// The network view: inputs, one circle per neuron, weights as edges, then the loss.  Every number
// of both passes is written in the SVG, tagged with the step from which it shows (data-from) or
// until which it shows (data-until); circles and edges carry the steps at which they are the
// current one (data-current).  A weight's label shows for the current step and on hover when
// labels have no room to show all at once (class "on-demand"); while the pointer is on an edge
// or a neuron, its labels show instead of the current step's.

class NetworkView extends View {
  constructor(spec, svgs) {
    super(spec, svgs, "network", { fitMin: 9, readable: 11, maxScale: 1.75 });
  }

  index(svg) {
    const tagged = [...svg.querySelectorAll("[data-from], [data-until], [data-current]")].map(
      (element) => ({
        element,
        from: element.hasAttribute("data-from") ? Number(element.dataset.from) : -Infinity,
        until: element.hasAttribute("data-until") ? Number(element.dataset.until) : Infinity,
        current: (element.dataset.current || "").split(" ").filter(Boolean).map(Number),
        isText: element.tagName.toLowerCase() === "text",
      }),
    );
    const labels = {};
    for (const label of svg.querySelectorAll("g.label")) labels[label.dataset.edge] = label;
    const hover = (element, shown) => {
      element.addEventListener("mouseenter", () => this.hover(svg, shown));
      element.addEventListener("mouseleave", () => this.hover(svg, []));
    };
    for (const edge of svg.querySelectorAll("g.edge[data-edge]")) {
      hover(edge, [labels[edge.dataset.edge]]);
    }
    for (const neuron of svg.querySelectorAll("g.neuron")) {
      hover(neuron, [...svg.querySelectorAll(`g.label[data-edge^="${neuron.dataset.neuron}:"]`)]);
    }
    const box = svg.viewBox.baseVal;
    return { svg, tagged, width: box.width, height: box.height,
             smallest: Number(svg.dataset.smallestFont) };
  }

  // Show `labels` for the edge or neuron under the pointer, in place of the current step's
  // labels (which would lie under or over them): "hovering" hides the step's other labels.
  hover(svg, labels) {
    for (const label of svg.querySelectorAll("g.label.hover")) label.classList.remove("hover");
    labels.forEach((label) => label.classList.add("hover"));
    svg.classList.toggle("hovering", labels.length > 0);
  }

  // Forget the pointer: the view was left (for a neuron's graph) with the pointer on its picture,
  // and the picture's mouseleave never came.
  unhover() {
    this.svgs.forEach((svg) => this.hover(svg, []));
  }

  paint(step) {
    const { svg, tagged } = this.pieces[this.shown];
    this.focus = null;
    let neuronIsCurrent = false;
    for (const { element, from, until, current, isText } of tagged) {
      const hidden = step < from || step >= until;
      if (isText) {
        if (hidden) element.setAttribute("visibility", "hidden");
        else element.removeAttribute("visibility");
      } else if (hidden) {
        element.setAttribute("opacity", FADED);
      } else {
        element.removeAttribute("opacity");
      }
      const isCurrent = current.includes(step);
      element.classList.toggle("current", isCurrent);
      if (isCurrent && !element.classList.contains("edge") && !element.classList.contains("label")) {
        this.focus = this.focus || element;
        neuronIsCurrent = neuronIsCurrent || element.classList.contains("neuron");
      }
    }
    svg.classList.toggle("focused", neuronIsCurrent);
  }

  clicked(target) {
    const g = target.closest("g.neuron");
    return g ? g.dataset.neuron : null;
  }

  select() {}
}
