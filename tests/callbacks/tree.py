"""Reading a Dash component tree in tests, as the renderer receives it (plain JSON)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

from dash._utils import to_json


def tree(component) -> dict:
    """The component as the JSON Dash sends to the browser."""
    return json.loads(to_json(component))


def find(node, predicate: Callable[[dict], bool]) -> Iterator[dict]:
    """Every dict in the JSON tree `node` (components, and their props) for which `predicate` holds, in order."""
    if isinstance(node, dict):
        if predicate(node):
            yield node
        for value in node.values():
            yield from find(value, predicate)
    elif isinstance(node, list):
        for value in node:
            yield from find(value, predicate)


def find_in(component, predicate: Callable[[dict], bool]) -> list[dict]:
    """`find` over a component (not yet JSON)."""
    return list(find(tree(component), predicate))
