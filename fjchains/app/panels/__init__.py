"""Owns what the user sees, one module per part of a page: sidebar, map_panel (map and detail),
overview, chain_profile and chain_overlap, compare_panel (counties side by side), county_grid,
downloads, pictures, upload_panel, values_panel (text columns), spatial_panel (spatial
statistics), access (skip links), share (copy link, embed). May import: fjchains.app's shell
and every layer.
"""
