"""Owns what the user sees, one module per part of a page: sidebar, map and detail, overview,
chain profile and overlap, comparison, county grid, downloads, pictures, upload, categories,
spatial statistics, access (skip links). May import: fjchains.app's shell and every layer.
"""
