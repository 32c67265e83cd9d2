"""Owns what people take away or read: pictures, fonts, captions, plotly charts, exports,
tables for screen and files (county_rows, side_by_side), spatial statistics (spatial_views).
May import: every layer but fjchains.app.
"""
