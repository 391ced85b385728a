"""Read YAML within limits: size, nesting, alias expansion, and finite numbers only.

PyYAML's safe loader refuses unsafe tags but not documents that are cheap to send and dear to
read: a few hundred bytes of nested aliases ("billion laughs") expand to billions of nodes for
any code that walks them, a very deep nesting exhausts the recursion limit, and ``.inf`` or
``.nan`` pass as numbers. :func:`load_yaml` composes the document once, measures it with each
aliased node counted every time it is used (so the cost of walking the data is bounded), and
refuses non-finite numbers with their line. Every YAML reader of corridor goes through it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

import yaml

#: Largest YAML text read, in bytes.
MAX_BYTES = 2_000_000
#: Largest number of nodes once every alias is expanded.
MAX_NODES = 200_000
#: Deepest nesting of mappings and lists.
MAX_DEPTH = 50

_FLOAT_TAG = "tag:yaml.org,2002:float"


class YamlLimitError(ValueError):
    """A YAML document that is too large, too deep, self-referring or holds a non-finite number.

    Attributes
    ----------
    problem : str
        What is wrong, without the file name.
    line : int or None
        The 1-based line, when one can be named.
    """

    def __init__(self, problem: str, line: int | None = None) -> None:
        super().__init__(problem if line is None else f"line {line}: {problem}")
        self.problem = problem
        self.line = line


class TextLoader(yaml.SafeLoader):
    """Safe YAML loader that keeps dates as text (``published: 2025-11-26``)."""


TextLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass
class _Budget:
    nodes: int = 0


def _non_finite(text: str) -> bool:
    """Whether a YAML float scalar is infinite or not a number (``.inf``, ``-.Inf``, ``.nan``)."""
    value = text.strip().lower().replace("_", "").lstrip("+-")
    if value in {".inf", ".nan"}:
        return True
    try:
        return not math.isfinite(float(value))
    except ValueError:
        return False


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def _measure(
    node: yaml.Node, depth: int, budget: _Budget, open_nodes: set[int], sizes: dict[int, int]
) -> int:
    """Return the expanded size of ``node``; raise past the limits."""
    key = id(node)
    if key in open_nodes:
        raise YamlLimitError("an alias refers to a node that contains it", _line(node))
    if depth > MAX_DEPTH:
        raise YamlLimitError(f"nested more than {MAX_DEPTH} levels deep", _line(node))
    if key in sizes:  # an alias: its nodes count again wherever it is used
        budget.nodes += sizes[key]
        if budget.nodes > MAX_NODES:
            raise YamlLimitError(
                f"expands to more than {MAX_NODES:,} values (aliases used too often)", _line(node)
            )
        return sizes[key]
    budget.nodes += 1
    if budget.nodes > MAX_NODES:
        raise YamlLimitError(
            f"expands to more than {MAX_NODES:,} values (aliases used too often)", _line(node)
        )
    size = 1
    if isinstance(node, yaml.ScalarNode):
        if node.tag == _FLOAT_TAG and _non_finite(str(node.value)):
            raise YamlLimitError(
                f"{node.value!r} is not a finite number; give a number or leave it out",
                _line(node),
            )
        sizes[key] = size
        return size
    open_nodes.add(key)
    children: list[yaml.Node] = []
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            children += [k, v]
    elif isinstance(node, yaml.SequenceNode):
        children = list(node.value)
    for child in children:
        size += _measure(child, depth + 1, budget, open_nodes, sizes)
    open_nodes.discard(key)
    sizes[key] = size
    return size


_QUOTED_OR_COMMENT = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"\\]|\\.)*\"|(?:^|(?<=\s))#[^\n]*")
_BRACKET = re.compile(r"[\[\]{}]")


def _check_flow_depth(text: str) -> None:
    """Refuse deeply nested ``[``/``{`` before PyYAML's scanner, which slows down on them."""
    depth = 0
    for match in _BRACKET.finditer(_QUOTED_OR_COMMENT.sub("", text)):
        depth += 1 if match.group() in "[{" else -1
        if depth > MAX_DEPTH:
            line = text.count("\n", 0, match.start()) + 1 if "\n" in text else 1
            raise YamlLimitError(f"nested more than {MAX_DEPTH} levels deep", line)


def _check_depth(text: str, loader: type[yaml.SafeLoader]) -> None:
    """Refuse deep nesting from the event stream, before the (recursive) composer sees it."""
    _check_flow_depth(text)
    events = loader(text)
    depth = 0
    try:
        while events.check_event():
            event = events.get_event()  # type: ignore[no-untyped-call]
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    line = event.start_mark.line + 1 if event.start_mark else None
                    raise YamlLimitError(f"nested more than {MAX_DEPTH} levels deep", line)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    finally:
        events.dispose()


def compose_yaml(text: str, loader: type[yaml.SafeLoader] = TextLoader) -> yaml.Node | None:
    """Compose a YAML document into nodes, within the limits.

    Parameters
    ----------
    text : str
        The YAML text (one document).
    loader : type
        A ``yaml.SafeLoader`` subclass.

    Returns
    -------
    yaml.Node or None
        The root node, or None for an empty document.

    Raises
    ------
    YamlLimitError
        If the text is too large, too deep, expands too far, refers to itself or holds
        ``.inf`` or ``.nan``.
    yaml.YAMLError
        If the text is not valid YAML.
    """
    if len(text) > MAX_BYTES or len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise YamlLimitError(f"larger than {MAX_BYTES:,} bytes")
    _check_depth(text, loader)
    parser = loader(text)
    try:
        node = parser.get_single_node()
    finally:
        parser.dispose()
    if node is not None:
        _measure(node, 0, _Budget(), set(), {})
    return node


def construct_yaml(node: yaml.Node | None, loader: type[yaml.SafeLoader] = TextLoader) -> Any:
    """Build Python data from a node checked by :func:`compose_yaml`.

    Parameters
    ----------
    node : yaml.Node or None
        The root node.
    loader : type
        The ``yaml.SafeLoader`` subclass that composed it.

    Returns
    -------
    object
        The data (None for an empty document).
    """
    if node is None:
        return None
    builder = loader("")
    try:
        return builder.construct_document(node)
    finally:
        builder.dispose()


def load_yaml(text: str, loader: type[yaml.SafeLoader] = TextLoader) -> Any:
    """Load one YAML document safely and within the limits.

    Parameters
    ----------
    text : str
        The YAML text.
    loader : type
        A ``yaml.SafeLoader`` subclass (default: dates stay text).

    Returns
    -------
    object
        The data (None for an empty document).

    Raises
    ------
    YamlLimitError
        See :func:`compose_yaml`.
    yaml.YAMLError
        If the text is not valid YAML.

    Examples
    --------
    >>> load_yaml("a: [1, 2]")
    {'a': [1, 2]}
    >>> try:
    ...     load_yaml("x: .inf")
    ... except YamlLimitError as exc:
    ...     print(exc.line, exc.problem)
    1 '.inf' is not a finite number; give a number or leave it out
    """
    return construct_yaml(compose_yaml(text, loader), loader)
