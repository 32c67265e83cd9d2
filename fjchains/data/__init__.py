"""Owns the shipped data: tables and their validation, boundaries, the county layer, names
users type (names), prefecture lists (chain_lists), headline figures, county details, URL query.
May import: fjchains.core, fjchains.geo.
"""
