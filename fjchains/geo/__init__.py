"""Owns the county map: web geometry (webgeo), the folium/Leaflet map (maps), colours per
county (colouring), the view a link may carry (view), click selection and Queen neighbours.
May import: fjchains.core.
"""
