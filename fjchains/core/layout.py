"""Heights the page reserves before the content arrives, so nothing moves when it does.

The map's iframe and the (deferred) Plotly charts and county table arrive after the text
around them; their slots are sized from these numbers, in Python only: the map's room is a
container of MAP_HEIGHT (fjchains/app/panels/map_panel.py; tests/test_pages.py checks it), the
deferred parts' placeholders take the chart and table heights (fjchains/app/deferred.py), and
the headline figures' boxes METRIC_HEIGHT. No stylesheet repeats them.
"""

MAP_HEIGHT = 500  # px; under the headline row, map and legend fit a 1366x768 laptop screen
CHART_HEIGHT = 400  # px; the prefecture and category charts
BAR_CHART_HEIGHT = 360  # px; counties per chain
CAPTION_HEIGHT = 40  # px; the hint under a chart
TABLE_HEIGHT = 420  # px; the county table under a map: its title, up to 320 px of rows, the caption
METRIC_HEIGHT = 59  # px; a headline figure (label and value; theme metricValueFontSize)
MATCHING_LIST_HEIGHT = 180  # px; the matching counties' names beside a map, when more than fit: about four rows
