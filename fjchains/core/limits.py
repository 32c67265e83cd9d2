"""Every budget the dashboard enforces on what a user sends, in one place.

Uploads, URL parameters and configured boundary files are untrusted: each parse is bounded
here (bytes, rows, columns, cell size, time, memory), the README quotes these numbers, and
tests/hostile/ builds a file that breaks each one.
"""

from __future__ import annotations

import os

# ---- uploads (fjchains.upload.reader, fjchains.upload.sandbox)
#: Streamlit's uploader counts 10 MB as 10,000,000 bytes; the app refuses at the same size.
MAX_UPLOAD_BYTES = 10_000_000
MAX_UPLOAD_MB = MAX_UPLOAD_BYTES // 1_000_000
MAX_ROWS = 100_000  # data rows (header not counted)
MAX_COLUMNS = 500
MAX_CELLS = 2_000_000  # rows x columns
MAX_CELL_CHARS = 2_000
MAX_LINE_CHARS = 100_000  # one physical line of a CSV/TXT file
#: csv.Sniffer is quadratic in the length of its sample: it only ever sees this much.
SNIFF_SAMPLE_CHARS = 8_192
#: .xlsx is a zip: sizes after decompression, checked before any XML is parsed.
XLSX_MAX_MEMBERS = 500
XLSX_MAX_MEMBER_BYTES = 50_000_000
XLSX_MAX_TOTAL_BYTES = 80_000_000
XLSX_MAX_RATIO = 200  # uncompressed / compressed, per member
XLSX_MAX_SHEET_ROWS = 1_048_576  # Excel's own limit; rows past it are never read
#: Names that get "did you mean" suggestions (difflib); the report lists this many rows.
MAX_SUGGESTED = 50
MAX_REPORTED = 1_000
MAX_CHOSEN = 50  # ambiguous rows offered a choice of county in the join report (the rest are listed)
MAX_MATCH_CHARS = 60  # longer cells are never county names: not looked up

# ---- the parse runs in a child process (fjchains.upload.sandbox)
PARSE_TIMEOUT_S = 15.0  # CPU seconds of the child's own (RLIMIT_CPU), so a busy machine does not shrink it
PARSE_WALL_FACTOR = 4.0  # and at most this many times that on the wall clock (a child that blocks)
PARSE_MEMORY_BYTES = 1_000_000_000  # address space the child may add to what it starts with
PARSE_TOTAL_MEMORY_BYTES = 2_000_000_000  # all children together
#: Children at once: one per core, within the total memory; the rest wait in line (issue 23).
PARSE_CHILDREN = max(1, min(os.cpu_count() or 1, PARSE_TOTAL_MEMORY_BYTES // PARSE_MEMORY_BYTES))
PARSE_MAX_WAIT_S = 300.0  # a place in the line that has not moved for this long: "busy, try again"

# ---- per session (fjchains/app/budgets.py): one user never slows another (issue 23)
UPLOADS_PER_WINDOW = 6  # files a session may send (PUT) in UPLOAD_WINDOW_S; more are answered 429
UPLOAD_WINDOW_S = 60.0
RERUN_BURST = 12  # reruns a session may ask for at once
RERUN_RATE = 2.0  # then this many a second; faster and each run first waits its turn
RERUN_MAX_DELAY_S = 2.0  # the longest a run waits for its turn
#: closed tabs' sessions and their uploads are freed this often (the environment may shorten it for a test)
SWEEP_INTERVAL_S = float(os.environ.get("FJCHAINS_SWEEP_INTERVAL_S", "30"))

# ---- text from users shown on screen
MAX_SHOWN_CHARS = 80  # longer values are cut with an ellipsis
#: The user-defined breaks box (its max_chars; fjchains.upload.classify.parse_breaks refuses longer text)
MAX_BREAKS_CHARS = 200

# ---- configured boundary files (fjchains.data.boundaries)
BOUNDARY_MAX_BYTES = 50_000_000
BOUNDARY_MAX_VERTICES = 400_000

# ---- text columns mapped by their values (fjchains.upload.text_columns)
MAX_VALUES_PER_CELL = 50  # "a;b;c" in one cell: more than this and the column is not mapped
MAX_TEXT_VALUES = 500  # distinct values in one column: more and it is not a list of values
MAX_TEXT_CELLS = 100_000  # cells read as values per file, columns in file order (a 100,000-row list fits)
# ---- spatial statistics (fjchains.analysis.spatial): fixed so the same file gives the same answer
SPATIAL_PERMUTATIONS = 999  # Moran's I, LISA and the chain-vs-rest test
SPATIAL_SEED = 20240729  # the opinion's publication date
SPATIAL_MIN_COUNTIES = 8  # counties with a value and a neighbour, below which no statistic is given
SPATIAL_MIN_GROUP = 3  # counties per group for the chain-vs-rest test
# ---- compare (fjchains.render.side_by_side): counties side by side, from a link or a pick
MAX_COMPARE = 4
# ---- picture jobs (issue 23): map pictures drawn on a click (fjchains.render.picture.PictureJobs)
#: Pictures kept, process-wide, by what they show (least recently used go first past this many bytes);
#: a picture (PNG or SVG) is 0.6-0.9 MB, so this keeps about 80: every chain in both languages and formats.
PICTURE_CACHE_BYTES = 64 * 1024 * 1024
PICTURE_SLOTS = 2  # pictures drawn at once in the whole process (one per core; matplotlib draws one at a time)
#: A session's picture requests in flight: one is drawn, the rest wait their turn. The most picture
#: buttons one page shows (PNG, SVG, ZIP), and the browser disables a button while its file is on its
#: way, so a person never has more; further requests (a script) are refused at once.
PICTURE_PENDING_PER_SESSION = 3
#: The longest a request waits for its session's earlier picture or for a free slot, then it is refused
#: (it waits in one of the server's shared worker threads; the browser itself gives up after 180 s).
PICTURE_WAIT_S = 30.0
