// What every view of the explorer has: its steps (the data Python wrote for it), its pictures
// (one SVG per layout direction, of which `shown` is on the page), the sizes the layout fits them
// by, and the element of the current step to keep in view (`focus`).  GraphView and NetworkView
// extend it with how they find their pieces in an SVG (`index`) and paint a step.

class View {
  constructor(spec, svgs, kind, { fitMin, readable, maxScale }) {
    this.spec = spec;
    this.kind = kind;
    this.svgs = svgs;
    this.fitMin = fitMin; // fitted whole when its smallest text is at least this many pixels
    this.readable = readable; // else shown at this size, following the step
    this.maxScale = maxScale; // never larger than this
    this.pieces = svgs.map((svg) => this.index(svg));
    this.shown = 0;
    this.focus = null;
  }

  get count() {
    return this.spec.steps.length;
  }

  caption(step) {
    return this.spec.steps[step];
  }

  variants() {
    return this.pieces.map(({ width, height, smallest }) => ({ width, height, smallest }));
  }

  focusElement() {
    return this.focus;
  }
}
