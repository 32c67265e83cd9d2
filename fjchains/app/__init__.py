"""Owns the Streamlit layer, the only code that imports Streamlit. The shell: entry (how a page
starts), session (every session key), seam (every reach past Streamlit's public API), budgets
(per session and process), first_paint (one object: what a first page sends), index_page and
deferred (its HTML page, what waits for the map), cached (Streamlit caches
around the loaders), map_frame (the county map's component), scripts (the page's own scripts);
panels/ is what the user sees.
May import: every layer.
"""
