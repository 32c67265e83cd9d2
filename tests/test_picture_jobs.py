"""Issue 23 "picture flood": map pictures are drawn once per what they show, a session's
requests one at a time, and at most limits.PICTURE_SLOTS in the process (fjchains.render.picture
PictureJobs, used by the download buttons in fjchains/app/panels/pictures.py).

render_map is replaced by a counter (a drawing here is a few bytes naming what it shows);
a drawing is held with a threading.Event, never a sleep, and no test asserts a duration.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import threading
import zipfile
from functools import partial

import pytest

from fjchains.app import seam
from fjchains.app.panels import pictures
from fjchains.core import limits
from fjchains.geo.colouring import Filters
from fjchains.render import picture
from fjchains.upload.userdata import load_user_file

TODAY = dt.date(2026, 11, 28)
FOOD = Filters(chains=("food",))
WAIT = 30  # seconds: only ever reached when a test is failing (an Event that is never set)
UPLOAD_CSV = "区县,GDP\n晋江市,3207\n福清市,1626\n南安市,1530\n龙海区,1235\n长乐区,1300\n石狮市,1055\n".encode()
SETTINGS = {"column": "GDP", "scheme": "quantiles", "k": 3, "breaks": None, "palette": "YlGnBu"}


class Renders:
    """Stands in for picture.render_map: counts drawings; views in `held` wait for `gate`."""

    def __init__(self, held=()):
        self.calls: list[tuple[str, str, str, str | None]] = []
        self.held = set(held)
        self.gate = threading.Event()
        self.started = threading.Event()
        self.active = 0
        self.most = 0
        self._lock = threading.Lock()

    def __call__(self, layer, colouring, *, title, lang, notes, selected=None, fmt="png", **kwargs) -> bytes:
        view = (title, lang, fmt, selected)
        with self._lock:
            self.calls.append(view)
            self.active += 1
            self.most = max(self.most, self.active)
        try:
            if title in self.held or "*" in self.held:
                self.started.set()
                assert self.gate.wait(WAIT), "the test never released the drawing"
            return f"{title}|{lang}|{fmt}|{selected}|{notes[0][-10:]}".encode()
        finally:
            with self._lock:
                self.active -= 1


@pytest.fixture
def renders(monkeypatch):
    fake = Renders()
    monkeypatch.setattr(picture, "render_map", fake)
    return fake


@pytest.fixture
def jobs(monkeypatch):
    """A fresh process-wide PictureJobs (the app's download callables use picture.JOBS)."""
    fresh = picture.PictureJobs()
    monkeypatch.setattr(picture, "JOBS", fresh)
    return fresh


def title_of(tables, filters, lang="zh"):
    return picture.map_title(tables.chains, filters, lang)


def chain(layer, tables, filters, lang="zh", fmt="png", **kwargs):
    return picture.chain_order(layer, tables, filters, lang, fmt, today=TODAY, **kwargs)


def run(target, *args):
    """target(*args) in a thread; the returned dict gets "result" or "error"."""
    out: dict = {}

    def body():
        try:
            out["result"] = target(*args)
        except Exception as exc:  # the test reads it
            out["error"] = exc

    thread = threading.Thread(target=body, daemon=True)
    thread.start()
    out["thread"] = thread
    return out


def finished(out) -> dict:
    out["thread"].join(WAIT)
    assert not out["thread"].is_alive()
    return out


# ---------------------------------------------------------------- drawn once


def test_the_same_view_asked_twice_is_drawn_once(layer, tables, renders, jobs):
    first = jobs.deliver("a", [chain(layer, tables, FOOD)])
    again = jobs.deliver("b", [chain(layer, tables, FOOD)])  # another session, the same view
    assert len(renders.calls) == 1
    assert again == first
    # anything the picture shows is part of what it is: each of these is drawn
    jobs.deliver("a", [chain(layer, tables, FOOD, "en")])
    jobs.deliver("a", [chain(layer, tables, FOOD, fmt="svg")])
    jobs.deliver("a", [chain(layer, tables, Filters(chains=("food",), county="350582"))])
    jobs.deliver("a", [chain(layer, tables, FOOD, custom_boundaries=True, boundary_note="Boundaries: x.geojson")])
    jobs.deliver("a", [chain(layer, tables, FOOD, font_fallbacks=False)])
    jobs.deliver("a", [picture.chain_order(layer, tables, FOOD, "zh", "png", today=TODAY + dt.timedelta(days=1))])
    assert len(renders.calls) == 7
    jobs.deliver("c", [chain(layer, tables, FOOD, "en")])
    assert len(renders.calls) == 7


def test_the_download_button_callable_uses_the_cache(layer, tables, renders, jobs):
    order = partial(pictures._chain_order, layer, tables, FOOD, "zh", {"custom_boundaries": False,
                                                                      "boundary_note": None})
    png = pictures._deliver("tab-1", order, "png")
    assert pictures._deliver("tab-2", order, "png") == png
    assert [fmt for _, _, fmt, _ in renders.calls] == ["png"]
    assert png.startswith(title_of(tables, FOOD).encode())


def test_an_upload_picture_is_keyed_on_that_upload(layer, tables, aliases, renders, jobs):
    data = load_user_file("gdp.csv", UPLOAD_CSV, aliases, tables.counties)
    first = jobs.deliver("a", [picture.upload_order(layer, tables, data, SETTINGS, Filters(), "zh", today=TODAY)])
    jobs.deliver("b", [picture.upload_order(layer, tables, data, dict(SETTINGS), Filters(), "zh", today=TODAY)])
    assert len(renders.calls) == 1
    jobs.deliver("a", [picture.upload_order(layer, tables, data, {**SETTINGS, "k": 4}, Filters(), "zh",
                                            today=TODAY)])
    assert len(renders.calls) == 2
    # the same file read again (another session's upload) is another upload: drawn for it
    other = load_user_file("gdp.csv", UPLOAD_CSV, aliases, tables.counties)
    assert jobs.deliver("b", [picture.upload_order(layer, tables, other, SETTINGS, Filters(), "zh",
                                                   today=TODAY)]) == first
    assert len(renders.calls) == 3


def test_an_id_reused_by_another_object_finds_no_picture():
    cache = picture.PictureCache(1000)

    class Upload:
        pass

    gone, later = Upload(), Upload()
    cache.put(picture.Order(("upload", 1), (gone,), bytes), b"gone's picture")
    # `later` stands for an object that got the id() `gone` had: the key is the same
    assert cache.get(picture.Order(("upload", 1), (later,), bytes)) is None
    assert len(cache) == 0


def test_the_cache_is_bounded_in_bytes_least_recently_used_first():
    cache = picture.PictureCache(100)
    orders = [picture.Order((i,), (), bytes) for i in range(4)]
    for order in orders[:2]:
        cache.put(order, b"x" * 40)
    assert cache.get(orders[0]) is not None  # 0 is now the more recent
    cache.put(orders[2], b"x" * 40)
    assert cache.nbytes <= 100
    assert cache.get(orders[1]) is None and cache.get(orders[0]) is not None
    cache.put(orders[3], b"x" * 101)  # larger than the whole cache: delivered, not kept
    assert cache.get(orders[3]) is None and cache.nbytes <= 100


# ---------------------------------------------------------------- the ZIP


def test_the_zip_after_the_chain_pictures_draws_nothing_new(layer, tables, renders, jobs):
    options = {"custom_boundaries": False, "boundary_note": None}
    chain_ids = list(tables.chains["chain_id"])
    for chain_id in chain_ids:  # each chain's page, its PNG button (no county selected)
        pictures._deliver("tab", partial(pictures._chain_order, layer, tables, Filters(chains=(chain_id,)), "zh",
                                         options), "png")
    assert len(renders.calls) == len(chain_ids)
    archive = zipfile.ZipFile(io.BytesIO(pictures._zip("tab", layer, tables, "zh", options)))
    assert len(renders.calls) == len(chain_ids)
    assert archive.namelist() == [f"fujian_chains_{c}_2024.png" for c in chain_ids]
    food = title_of(tables, FOOD).encode()
    assert archive.read("fujian_chains_food_2024.png").startswith(food)


def test_a_zip_of_ten_requests_is_drawn_once(layer, tables, renders, jobs):
    options = {"custom_boundaries": False, "boundary_note": None}
    for _ in range(10):
        pictures._zip("flood", layer, tables, "zh", options)
    assert len(renders.calls) == len(tables.chains)


# ---------------------------------------------------------------- one session, one picture at a time


@pytest.mark.parametrize("per_session", [1, limits.PICTURE_PENDING_PER_SESSION])
def test_a_session_asking_while_its_picture_is_drawn_waits_its_turn_or_is_refused(layer, tables, renders,
                                                                                 per_session):
    jobs = picture.PictureJobs(per_session=per_session)
    renders.held = {title_of(tables, FOOD)}
    first = run(jobs.deliver, "s", [chain(layer, tables, FOOD)])
    assert renders.started.wait(WAIT)
    views = [Filters(chains=(c,)) for c in tables.chains["chain_id"] if c != "food"]
    queued = [run(jobs.deliver, "s", [chain(layer, tables, f)]) for f in views[:per_session - 1]]
    assert jobs.wait_until(lambda j: j.pending("s") == per_session, WAIT)
    with pytest.raises(picture.PictureBusy) as refused:  # at once: nothing is drawn for it
        jobs.deliver("s", [chain(layer, tables, views[-1])])
    assert refused.value.reason == "session"
    assert len(renders.calls) == 1  # the queued requests have not started to draw
    [other] = jobs.deliver("t", [chain(layer, tables, views[-1])])  # another session is not held up
    assert other.startswith(title_of(tables, views[-1]).encode())
    renders.gate.set()
    assert finished(first)["result"][0].startswith(title_of(tables, FOOD).encode())
    for out, view in zip(queued, views):
        assert finished(out)["result"][0].startswith(title_of(tables, view).encode())
    assert len(renders.calls) == 1 + 1 + (per_session - 1)
    assert jobs.pending("s") == 0
    jobs.deliver("s", [chain(layer, tables, views[-1])])  # cached: no turn needed, nothing drawn
    assert len(renders.calls) == 1 + 1 + (per_session - 1)


def test_a_cached_picture_comes_even_while_the_session_draws_another(layer, tables, renders):
    jobs = picture.PictureJobs(per_session=1)
    jobs.deliver("s", [chain(layer, tables, Filters())])
    renders.held = {title_of(tables, FOOD)}
    drawing = run(jobs.deliver, "s", [chain(layer, tables, FOOD)])
    assert renders.started.wait(WAIT)
    assert jobs.deliver("s", [chain(layer, tables, Filters())])  # from the cache, not refused
    renders.gate.set()
    assert "result" in finished(drawing)


# ---------------------------------------------------------------- the whole process


def test_at_most_the_slots_draw_at_once_with_many_sessions(layer, tables, renders):
    jobs = picture.PictureJobs(slots=2)
    renders.held = {"*"}
    views = [(lang, Filters(chains=(c,))) for c in tables.chains["chain_id"] for lang in ("zh", "en")][:10]
    outs = [run(jobs.deliver, f"session-{i}", [chain(layer, tables, f, lang)]) for i, (lang, f) in enumerate(views)]
    assert jobs.wait_until(lambda j: j.running == 2 and j.waiting == len(views) - 2, WAIT)
    assert renders.active == 2 and len(renders.calls) == 2
    renders.gate.set()
    results = [finished(out) for out in outs]
    assert all("result" in r for r in results), [r.get("error") for r in results]
    assert renders.most == 2
    assert len(renders.calls) == len(views)


def test_no_free_slot_within_the_wait_is_a_refusal(layer, tables, renders):
    jobs = picture.PictureJobs(slots=1, wait_s=0)
    renders.held = {title_of(tables, FOOD)}
    drawing = run(jobs.deliver, "a", [chain(layer, tables, FOOD)])
    assert renders.started.wait(WAIT)
    with pytest.raises(picture.PictureBusy) as busy:
        jobs.deliver("b", [chain(layer, tables, Filters())])
    assert busy.value.reason == "server"
    with pytest.raises(picture.PictureBusy):  # the same picture: its drawing did not end in time
        jobs.deliver("c", [chain(layer, tables, FOOD)])
    renders.gate.set()
    assert "result" in finished(drawing)
    assert len(renders.calls) == 1


def test_sessions_asking_for_the_same_picture_together_share_one_drawing(layer, tables, renders):
    jobs = picture.PictureJobs(slots=2)
    renders.held = {title_of(tables, FOOD)}
    outs = [run(jobs.deliver, f"s{i}", [chain(layer, tables, FOOD)]) for i in range(5)]
    assert jobs.wait_until(lambda j: j.running == 1 and j.waiting == 4, WAIT)
    renders.gate.set()
    results = {finished(out)["result"][0] for out in outs}
    assert len(results) == 1 and len(renders.calls) == 1


# ---------------------------------------------------------------- what the server log says


def test_a_refusal_is_one_warning_line_in_the_server_log():
    from streamlit.runtime.media_file_storage import MediaFileStorageError

    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(record)

    logger = logging.getLogger(seam.DEFERRED_DOWNLOAD_LOGGER)
    keep = Keep()
    logger.addHandler(keep)
    try:
        for error in (picture.PictureBusy("session"), ValueError("a real bug")):
            try:  # as streamlit's execute_deferred wraps the callable's exception
                try:
                    raise error
                except Exception as exc:
                    raise MediaFileStorageError(f"Callable execution failed: {exc}") from exc
            except MediaFileStorageError:
                logger.exception("Error executing deferred callable for file_id %s", "x")
    finally:
        logger.removeHandler(keep)
    refusal, bug = records
    assert refusal.levelno == logging.WARNING and refusal.exc_info is None
    assert "session" in refusal.getMessage()
    assert bug.levelno == logging.ERROR and bug.exc_info is not None
