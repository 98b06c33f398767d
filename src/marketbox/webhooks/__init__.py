"""Delivery of notifications to sellers' webhook URLs (the outbox lives in store/webhooks.py)."""
