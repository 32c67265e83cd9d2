"""What the county map receives in an AppTest run (fjchains/app/map_frame.py): AppTest sees
the component as an element with JSON arguments {base, payload, height}."""

from __future__ import annotations

import json

from fjchains.app.map_frame import COMPONENT_NAME
from fjchains.app.seam import apptest_component_args


def map_args(at) -> list[dict]:
    """The arguments of every county map on the page, in page order."""
    return apptest_component_args(at, COMPONENT_NAME)


def first_map(at) -> dict:
    maps = map_args(at)
    assert maps, "no map component on the page"
    return maps[0]


def payloads(at) -> list[dict]:
    """The style payload of every map on the page (fills, selection, legend, tooltips)."""
    return [args["payload"] for args in map_args(at)]


def payload_text(at) -> str:
    """The first map's style payload as JSON text with real characters, to search in."""
    return json.dumps(first_map(at)["payload"], ensure_ascii=False)
