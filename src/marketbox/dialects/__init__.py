"""Dialects translate a marketplace's wire format to and from the domain; they hold no rules."""
