"""The AliExpress seller API for logistics (`/seller-api/v1`), authenticated by `x-auth-token`.

LIMITATIONS (where marketbox knowingly differs from the real service; see docs/assumptions.md):
- only the fulfilment (FBS logistics) methods and the order list are served; products, chat and
  DBS `offline-ship` methods are not;
- unpublished vocabularies (`problem_state_filter`, `sort_params`, `logistic_order_info`) are ours;
- label PDFs are rendered by marketbox, not by the carrier, and are served from marketbox itself.
"""
