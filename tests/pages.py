"""Reading pages as a browser would: CSRF tokens from forms, and elements by a CSS selector.

Assertions about markup go through `elements()` rather than matching template text,
so attribute order, quoting and whitespace do not matter.
"""

import re
from html.parser import HTMLParser

VOID_TAGS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)

INLINE_TAGS = frozenset(
    {"a", "abbr", "b", "code", "em", "i", "kbd", "mark", "q", "s", "small", "span", "strong"}
    | {"sub", "sup", "time", "u", "var"}
)


class Element:
    def __init__(self, tag: str, attrs: dict[str, str], parent: "Element | None" = None):
        self.tag = tag
        self.attrs = attrs
        self.parent = parent
        self.children: list[Element | str] = []

    def get(self, name: str, default: str | None = None) -> str | None:
        return self.attrs.get(name, default)

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    @property
    def text(self) -> str:
        """The text inside, with runs of whitespace made one space, as a browser shows it."""
        parts = []
        for child in self.children:
            if isinstance(child, str):
                parts.append(child)
            elif child.tag in INLINE_TAGS:
                parts.append(child.text)
            else:
                parts.append(f" {child.text} ")
        return " ".join("".join(parts).split())

    def descendants(self):
        for child in self.children:
            if isinstance(child, Element):
                yield child
                yield from child.descendants()

    def select(self, selector: str) -> list["Element"]:
        """Elements matching a CSS selector: compound selectors (tag, #id, .class,
        [attr], [attr=value], [attr~=value]) joined by spaces for descendants."""
        compounds = [_compound(part) for part in selector.split()]
        return [element for element in self.descendants() if _matches_path(element, compounds)]

    def __repr__(self) -> str:
        attrs = "".join(f' {key}="{value}"' for key, value in self.attrs.items())
        return f"<{self.tag}{attrs}>"


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {key: value or "" for key, value in attrs}, self.current)
        self.current.children.append(element)
        if tag not in VOID_TAGS:
            self.current = element

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(
            Element(tag, {key: value or "" for key, value in attrs}, self.current)
        )

    def handle_endtag(self, tag):
        open_element = self.current
        while open_element is not self.root and open_element.tag != tag:
            open_element = open_element.parent
        if open_element is not self.root:  # a stray end tag closes nothing
            self.current = open_element.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(html: str) -> Element:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


_SIMPLE = re.compile(
    r"""(?P<tag>^[a-zA-Z][\w-]*|^\*)
    |\#(?P<id>[\w-]+)
    |\.(?P<cls>[\w-]+)
    |\[(?P<attr>[\w:-]+)(?:(?P<op>~?=)(?P<quote>["']?)(?P<value>.*?)(?P=quote))?\]""",
    re.VERBOSE,
)


def _compound(text: str) -> list[tuple[str, str, str | None]]:
    tests, position = [], 0
    while position < len(text):
        match = _SIMPLE.match(text, position)
        assert match and match.end() > position, f"unsupported selector: {text!r}"
        if match["tag"] and match["tag"] != "*":
            tests.append(("tag", match["tag"].lower(), None))
        elif match["id"]:
            tests.append(("=", "id", match["id"]))
        elif match["cls"]:
            tests.append(("~=", "class", match["cls"]))
        elif match["attr"]:
            tests.append((match["op"] or "has", match["attr"], match["value"]))
        position = match.end()
    return tests


def _matches(element: Element, tests) -> bool:
    return all(_passes(element, kind, name, value) for kind, name, value in tests)


def _passes(element: Element, kind: str, name: str, value: str | None) -> bool:
    if kind == "tag":
        return element.tag == name
    if name not in element.attrs:
        return False
    if kind == "=":
        return element.attrs[name] == value
    if kind == "~=":
        return value in element.attrs[name].split()
    return True  # [attr]: present


def _matches_path(element: Element, compounds) -> bool:
    if not _matches(element, compounds[-1]):
        return False
    ancestor = element.parent
    for tests in reversed(compounds[:-1]):
        while ancestor is not None and not _matches(ancestor, tests):
            ancestor = ancestor.parent
        if ancestor is None:
            return False
        ancestor = ancestor.parent
    return True


def elements(html: str, selector: str) -> list[Element]:
    """Every element of the page that matches the CSS selector, in document order."""
    return parse(html).select(selector)


def element(html: str, selector: str) -> Element:
    """The one element that matches the selector; fails if there is none or several."""
    found = elements(html, selector)
    assert len(found) == 1, f"{len(found)} elements match {selector!r}: {found[:5]}"
    return found[0]


def csrf_token_from(html: str) -> str:
    tokens = {field.get("value") for field in elements(html, "input[name=csrf_token]")}
    assert tokens, "the page has no CSRF token"
    assert len(tokens) == 1, f"the page has different CSRF tokens: {tokens}"
    return tokens.pop()


def csrf_token(client, url: str = "/admin/needs/") -> str:
    """The CSRF token from the forms of the page at `url`, as the client sees it."""
    response = client.get(url)
    assert response.status_code == 200, f"GET {url} answered {response.status_code}"
    return csrf_token_from(response.get_data(as_text=True))


def submit(client, url: str, data: dict, form_url: str | None = None, **options):
    """`data` POSTed to `url` as a browser sends the form: with the CSRF token of the page at
    `form_url` (else `url` itself)."""
    token = csrf_token(client, form_url or url)
    return client.post(url, data={**data, "csrf_token": token}, **options)


def form_fields(html: str, action: str) -> dict[str, str]:
    """The named inputs of the page's form that posts to `action`, with their values (its
    CSRF token and the version it was shown, say), as a browser would send them."""
    forms = [form for form in parse(html).select("form") if form.attrs.get("action") == action]
    assert len(forms) == 1, f"the page has {len(forms)} forms posting to {action}"
    return {
        field.attrs["name"]: field.attrs.get("value", "")
        for field in forms[0].select("input[name]")
        if field.attrs.get("type") != "submit"
    }
