"""A load-test session without a browser: it speaks Streamlit's websocket protocol itself.

Eight Chromium pages on this 2-core machine took 86 % of its CPU in the load test, so the
time of a click there was mostly the other browsers' (issue 10). In a deployment each person's
browser runs on their own machine; what the server sees of a session is its messages. This
client sends the messages the page's own code sends for the same actions (Streamlit's
`BackMsg`, from `streamlit.proto`): the first run of /explorer, the release of what waits for
the map, the table and the charts (as static/js/after-map.js clicks them), a click on the map
(the map component's value, rerunning the map's fragment, as static/map-frame/frame.js) and a
change of the chain filter (a whole-page rerun); and reads the server's `ForwardMsg`s until
the run has finished. A click counts once the detail panel's heading for the county has come.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

from fjchains.app.map_frame import COMPONENT_NAME
from fjchains.app.seam import protocol

BackMsg, ForwardMsg, WidgetState = protocol().BackMsg, protocol().ForwardMsg, protocol().WidgetState

FINISHED = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}
#: Buttons the page's script clicks once the map has drawn, in its order (fjchains/app/deferred.py).
RELEASE_KEYS = ("show_now_page", "show_now_table", "show_seen_")


@dataclass
class Widget:
    id: str
    kind: str  # the element's type: button, multiselect, component_instance, ...
    label: str
    fragment_id: str
    options: list[str] = field(default_factory=list)


@dataclass
class Run:
    """What one rerun sent back."""

    seconds: float
    messages: int
    bytes: int
    texts: list[str]  # Markdown and heading bodies
    map_args: list[str]  # the map component's arguments, each time it was sent
    status: int
    exceptions: list[str]  # st.exception elements (the app never shows one: an error)


class ProtocolSession:
    """One session on `url` (e.g. http://127.0.0.1:8501), page `page` ("explorer")."""

    def __init__(self, url: str, page: str):
        self.url = url.rstrip("/")
        self.page = page
        self.ws: Any = None  # websockets' ClientConnection once open
        self.widgets: dict[str, Widget] = {}
        self.values: dict[str, Any] = {}  # WidgetState  # what a browser would send again on every rerun
        self.clicks = 0

    async def open(self) -> Run:
        import websockets

        ws_url = "ws" + self.url.removeprefix("http") + "/_stcore/stream"
        self.ws = await websockets.connect(ws_url, subprotocols=[websockets.Subprotocol("streamlit")],
                                           origin=websockets.Origin(self.url), max_size=50_000_000)
        return await self.rerun()

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()

    def widget(self, key_or_kind: str) -> Widget:
        """The first widget whose id ends in `-key` (a user key), or of that element type."""
        for w in self.widgets.values():
            if w.id.endswith(f"-{key_or_kind}") or w.kind == key_or_kind:
                return w
        raise LookupError(f"the page sent no widget {key_or_kind!r}")

    def keyed(self, prefix: str) -> list[Widget]:
        return [w for w in self.widgets.values() if f"-{prefix}" in w.id]

    async def rerun(self, trigger: Widget | None = None, fragment_id: str = "") -> Run:
        msg = BackMsg()
        state = msg.rerun_script
        state.page_name = self.page
        state.fragment_id = fragment_id
        for value in self.values.values():
            state.widget_states.widgets.add().CopyFrom(value)
        if trigger is not None:
            fired = state.widget_states.widgets.add()
            fired.id = trigger.id
            fired.trigger_value = True
        started = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        return await self._read_run(started)

    async def click_map(self, lat: float, lng: float) -> Run:
        """As the map frame posts a click: the component's value, rerunning the map's fragment."""
        county_map = self.widget("component_instance")
        self.clicks += 1
        value = WidgetState(id=county_map.id, json_value=json.dumps(
            {"last_clicked": {"lat": lat, "lng": lng}, "n": self.clicks}))
        self.values[county_map.id] = value
        return await self.rerun(fragment_id=county_map.fragment_id)

    async def choose(self, widget: Widget, chosen: list[str]) -> Run:
        """A multiselect's new value: a whole-page rerun."""
        value = WidgetState(id=widget.id)
        value.string_array_value.data.extend(chosen)
        self.values[widget.id] = value
        return await self.rerun()

    async def release(self) -> list[Run]:
        """What after-map.js clicks once the map has drawn: the page, the table, the charts."""
        runs = []
        for prefix in RELEASE_KEYS:
            for button in self.keyed(prefix):
                runs.append(await self.rerun(trigger=button, fragment_id=button.fragment_id))
        return runs

    async def _read_run(self, started: float) -> Run:
        texts: list[str] = []
        map_args: list[str] = []
        exceptions: list[str] = []
        count = size = 0
        while True:
            raw = await self.ws.recv()
            count += 1
            size += len(raw)
            fwd = ForwardMsg()
            fwd.ParseFromString(raw)
            kind = fwd.WhichOneof("type")
            if kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                self._note_element(fwd.delta, texts, map_args, exceptions)
            elif kind == "script_finished" and fwd.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                return Run(time.perf_counter() - started, count, size, texts, map_args, fwd.script_finished,
                           exceptions)

    def _note_element(self, delta, texts: list[str], map_args: list[str], exceptions: list[str]) -> None:
        element = delta.new_element
        kind = element.WhichOneof("type")
        body = getattr(element, kind)
        if kind == "exception":
            exceptions.append(f"{body.type}: {body.message}"[:300])
        if kind in ("markdown", "heading"):
            texts.append(body.body)
        if kind == "component_instance" and body.component_name == COMPONENT_NAME:
            map_args.append(body.json_args)
        widget_id = getattr(body, "id", "")
        if widget_id.startswith("$$ID-"):
            self.widgets[widget_id] = Widget(widget_id, kind, getattr(body, "label", ""), delta.fragment_id,
                                             list(getattr(body, "options", [])))
