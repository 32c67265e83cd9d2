"""Owns the statistics: Moran's I and LISA (spatial), a chain's counties against the rest
(chain_vs_rest). May import: fjchains.core, geo, data, upload.
"""
