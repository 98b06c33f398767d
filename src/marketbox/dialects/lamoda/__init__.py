"""Lamoda's seller APIs: the B2B Platform Partner API (v1, HAL) and the unified REST API v2 (`{data, meta}`).

`auth_routes` issues tokens, `v1_routes` and `v2_routes` serve the two APIs over the shared services;
`endpoints` holds what every Lamoda endpoint does (bearer auth, `sellerId`, errors in each API's body).
"""
