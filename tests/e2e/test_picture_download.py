"""A person downloads the map picture of a filtered map: the file is named after the filter
and is the full-size PNG drawn from the same colours."""

from __future__ import annotations

import time

import pytest
from PIL import Image
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from fjchains.app import seam
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.helpers import CUT_BUTTON_TEXT, map_frame, wait_idle

pytestmark = pytest.mark.e2e


def test_png_of_the_filtered_map(app_url, page, tmp_path):
    p = page.page
    trace = _trace_websocket(p)
    p.goto(f"{app_url}/explorer?chain=food&county=350582")
    map_frame(p)
    wait_idle(p)
    try:
        with p.expect_download(timeout=60_000) as info:
            trace.append((time.monotonic(), "click PNG"))
            p.get_by_role("button", name="下载地图图片（PNG）").click()
        download = info.value
    except PlaywrightTimeout:
        _write_trace(p, "download_picture_png_no_download", trace)
        raise
    assert download.suggested_filename == "fujian_chains_food_2024.png"
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    image = Image.open(target)
    assert image.format == "PNG" and image.width >= 2400
    image.convert("RGB").resize((image.width // 4, image.height // 4)).save(ARTIFACTS / "download_picture_food.png")
    assert "#0072b2" in {"#{:02x}{:02x}{:02x}".format(*c) for _, c in image.convert("RGB").getcolors(1 << 24)}  # food's colour
    assert page.external == []


def test_picture_buttons_show_their_whole_label_on_an_english_1366_laptop(app_url, browser):
    """The chains page's three picture buttons share the map's column: the ZIP one was cut
    to "下载各产业链地图…" (in Chinese the laptop walk checks it: test_every_page.py)."""
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    try:
        p = context.new_page()
        p.goto(f"{app_url}/chains?lang=en")
        map_frame(p)
        wait_idle(p)
        buttons = p.locator("[data-testid=stDownloadButton] button")
        buttons.last.wait_for(timeout=60_000)
        cut = p.evaluate(CUT_BUTTON_TEXT)
        assert not cut, cut
    finally:
        context.close()


def _trace_websocket(p) -> list[tuple[float, str]]:
    """Every websocket message of the page, decoded (time, direction, Streamlit's message type,
    and for a rerun its fragment, for a widget its label, for a run's end its status): written
    beside the screenshot (`_write_trace`) when a picture test waits in vain. The 16:9 choice
    did not reach the buttons twice in a clean clone's full run, and a PNG click once gave no
    download in a minute; never alone, never in the flake drill."""
    proto = seam.protocol()
    trace: list[tuple[float, str]] = []

    def describe(kind: str, data: bytes) -> str:
        try:
            if kind == "sent":
                back = proto.BackMsg.FromString(data)
                what = back.WhichOneof("type")
                detail = f"fragment={back.rerun_script.fragment_id or '-'}" if what == "rerun_script" else ""
                return f"{what} {detail}"
            forward = proto.ForwardMsg.FromString(data)
            what = forward.WhichOneof("type")
            if what == "delta" and forward.delta.WhichOneof("type") == "new_element":
                element = forward.delta.new_element
                widget = element.WhichOneof("type")
                label = getattr(getattr(element, widget), "label", "")
                return f"delta {widget} {label!r} fragment={forward.delta.fragment_id or '-'}"
            if what == "script_finished":
                return f"script_finished {forward.script_finished}"
            return str(what)
        except Exception as error:  # not a message of this Streamlit: its size says enough
            return f"{len(data)} bytes ({type(error).__name__})"

    def frame(kind: str):
        def add(payload) -> None:
            data = payload.encode() if isinstance(payload, str) else payload
            trace.append((time.monotonic(), f"{kind} {describe(kind, data)}"))
        return add

    p.on("websocket", lambda ws: (ws.on("framesent", frame("sent")), ws.on("framereceived", frame("received"))))
    return trace


def _write_trace(p, name: str, trace: list[tuple[float, str]]) -> None:
    """The screen and the websocket's messages of a test that waited in vain."""
    p.screenshot(path=ARTIFACTS / f"{name}.png")
    start = trace[0][0] if trace else 0.0
    (ARTIFACTS / f"{name}_websocket.txt").write_text(
        "\n".join(f"{at - start:8.3f} {line}" for at, line in trace), encoding="utf-8")


def test_landscape_png_for_slides(app_url, page, tmp_path):
    """Issue 27: the 16:9 size chosen beside the buttons gives a 1920 × 1080 PNG named _16x9."""
    p = page.page
    trace = _trace_websocket(p)
    p.goto(f"{app_url}/explorer?chain=food&county=350582")
    map_frame(p)
    wait_idle(p)
    p.locator(".st-key-county_table td").first.wait_for(state="attached", timeout=60_000)
    wait_idle(p)  # what comes after the map (the county table) has come: nothing moves under the pointer
    label = "横版 16:9，1920×1080（幻灯片）"
    option = p.get_by_role("radio", name=label)
    for _ in range(2):  # a person sees the choice is not ticked and clicks again
        trace.append((time.monotonic(), "click 16:9"))
        p.get_by_text(label).click()
        try:
            p.wait_for_function("(e) => e.checked", arg=option.element_handle(), timeout=15_000)
            break
        except PlaywrightTimeout:
            p.screenshot(path=ARTIFACTS / "download_picture_16x9_not_ticked.png")
    landscape = p.get_by_role("button", name="下载地图图片（PNG，16:9）")  # the button says the choice is in
    try:
        landscape.wait_for(timeout=60_000)
    except PlaywrightTimeout:
        _write_trace(p, "download_picture_16x9_no_button", trace)
        raise
    with p.expect_download(timeout=60_000) as info:
        landscape.click()
    download = info.value
    assert download.suggested_filename == "fujian_chains_food_2024_16x9.png"
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    image = Image.open(target)
    assert image.size == (1920, 1080)
    image.save(ARTIFACTS / "download_picture_food_16x9.png")
