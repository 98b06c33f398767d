"""Lamoda's seller APIs: the B2B Platform Partner API (v1, HAL) and the unified REST API v2 (`{data, meta}`).

LIMITATIONS (so far): only the token endpoints are served; orders, shipments, labels, returns and
supplies follow (issue 3).
"""
