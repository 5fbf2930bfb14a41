"""Looking at an explorer page as a person does: which texts are on screen, how large, and where.

The browser itself, and screenshots, come from ``browser.py``.
"""

from pathlib import Path

# Whether a person sees an element: shown (CSS display and visibility) and taking up room;
# Chromium's checkVisibility alone misses an SVG group's `display: none`.
DRAWN = "t => t.checkVisibility({visibilityProperty: true}) && t.getBoundingClientRect().width > 0"

# Every text in `selector` that is drawn (not hidden, inside a shown element) and on screen:
# its text, its font size in screen pixels (for SVG text, the font size times the picture's
# scale), its ink (the colour it is painted in: an SVG text's fill, else its colour), and its box.
VISIBLE_TEXTS = """(selector) => {
    const out = [];
    for (const root of document.querySelectorAll(selector)) {
        const isSvg = root.tagName.toLowerCase() === 'svg';
        const svgTexts = isSvg ? [...root.querySelectorAll('text')] : [];
        const candidates = svgTexts.length ? svgTexts : [...root.querySelectorAll('*')].filter(
            e => [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()));
        for (const t of candidates) {
            if (!t.checkVisibility({visibilityProperty: true})) continue;
            const box = t.getBoundingClientRect();
            if (box.width === 0 || !t.textContent.trim()) continue;
            let px = parseFloat(getComputedStyle(t).fontSize);
            if (t instanceof SVGElement) px *= t.ownerSVGElement.getScreenCTM().a;
            const ink = getComputedStyle(t)[t instanceof SVGElement ? 'fill' : 'color'];
            out.push({text: t.textContent, px, ink, left: box.left, right: box.right,
                      top: box.top, bottom: box.bottom});
        }
    }
    return out;
}"""

BOX = """(selector) => {
    const b = document.querySelector(selector).getBoundingClientRect();
    return {left: b.left, right: b.right, top: b.top, bottom: b.bottom};
}"""


def open_page(browser, path: Path, width: int = 1280, height: int = 800):
    """A new page at ``width`` × ``height`` showing the file at ``path``, drawn; and the lists
    that collect its requests and errors."""
    page = browser.new_page(viewport={"width": width, "height": height})
    requests, errors = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(path.resolve().as_uri())
    page.wait_for_selector("body[data-ready=true]")
    return page, requests, errors


def texts(page, selector: str = "#frame svg") -> list[dict]:
    return page.evaluate(VISIBLE_TEXTS, selector)


def box(page, selector: str) -> dict:
    return page.evaluate(BOX, selector)


def within(inner: dict, outer: dict, slack: float = 0.5) -> bool:
    return (
        inner["left"] >= outer["left"] - slack
        and inner["right"] <= outer["right"] + slack
        and inner["top"] >= outer["top"] - slack
        and inner["bottom"] <= outer["bottom"] + slack
    )


def viewport(page) -> dict:
    size = page.viewport_size
    return {"left": 0, "top": 0, "right": size["width"], "bottom": size["height"]}


def overlaps(shown: list[dict], slack: float = 1.0) -> list[tuple[str, str]]:
    """Pairs of texts whose boxes overlap by more than ``slack`` pixels each way."""
    found = []
    for k, a in enumerate(shown):
        for b in shown[k + 1 :]:
            if (
                min(a["right"], b["right"]) - max(a["left"], b["left"]) > slack
                and min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) > slack
            ):
                found.append((a["text"], b["text"]))
    return found


def shown(page, selector: str) -> list[str]:
    """The texts drawn (not hidden) in the elements ``selector`` finds, in document order
    (``page`` may be a page or the frame of an explorer inside one)."""
    return page.locator(selector + " text").evaluate_all(
        f"ts => ts.filter({DRAWN}).map(t => t.textContent)"
    )


def go_to(page, step: int) -> None:
    """Move the explorer to ``step`` (from 0) with its slider, as a person dragging it does."""
    page.eval_on_selector(
        "#slider", "(s, step) => { s.value = step; s.dispatchEvent(new Event('input')); }", step
    )


# For each name (a string of characters, not a word: it may hold spaces), every place it
# occurs in the text of the elements `selector` finds, and the lines its characters are
# drawn on (the distinct tops of the boxes of their Range, which a wrapped name has two of).
# A no-break space in the page counts as the plain space the names are written with.
SPLIT_NAMES = """([selector, names]) => {
    const split = [];
    for (const root of document.querySelectorAll(selector)) {
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        const places = [];  // for each character of the text: its text node and offset
        let text = "";
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            for (let k = 0; k < node.data.length; k++) places.push([node, k]);
            text += node.data.replace(/\\u00a0/g, " ");
        }
        for (const name of names) {
            for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + 1)) {
                const range = document.createRange();
                const [first, start] = places[at];
                const [last, end] = places[at + name.length - 1];
                range.setStart(first, start);
                range.setEnd(last, end + 1);
                const tops = [];
                for (const box of range.getClientRects()) {
                    if (box.width === 0) continue;
                    if (!tops.some(top => Math.abs(top - box.top) < box.height / 2)) {
                        tops.push(box.top);
                    }
                }
                if (tops.length > 1) split.push({name, text, lines: tops.length});
            }
        }
    }
    return split;
}"""


def split_names(page, selector: str, names) -> list[dict]:
    """The names that ``selector``'s text breaks across lines: ``[{name, text, lines}]``."""
    return page.evaluate(SPLIT_NAMES, [selector, sorted(set(names), key=len, reverse=True)])


# For each card of the panels that is shown: whether it scrolls in its own box, and each line
# of its text that shows only in part (cut by the card's own box, the panels or the window).
PANEL_CARDS = """() => {
    const panels = document.querySelector('.panels').getBoundingClientRect();
    const range = document.createRange();
    const cards = [];
    for (const card of document.querySelectorAll('.panels > .card')) {
        if (!card.checkVisibility({visibilityProperty: true})) continue;
        const box = card.getBoundingClientRect();
        const top = Math.max(box.top + card.clientTop, panels.top, 0);
        const bottom = Math.min(box.top + card.clientTop + card.clientHeight, panels.bottom,
                                innerHeight);
        const cut = [];
        const walker = document.createTreeWalker(card, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            if (!node.data.trim()) continue;
            range.selectNodeContents(node);
            for (const line of range.getClientRects()) {
                if (line.width === 0) continue;
                const across = edge => line.top < edge - 1 && line.bottom > edge + 1;
                if (across(top) || across(bottom)) cut.push(node.data);
            }
        }
        cards.push({id: card.id || card.dataset.legend, cut,
                    scrolls: card.scrollHeight > card.clientHeight + 1,
                    scrollable: ['auto', 'scroll'].includes(getComputedStyle(card).overflowY)});
    }
    return cards;
}"""


def panel_cards(page) -> list[dict]:
    """The panels' shown cards: ``{id, cut, scrolls, scrollable}`` (``cut``: the lines that show
    in part; ``id``: "card", "inspector", or the legend's view)."""
    return page.evaluate(PANEL_CARDS)
