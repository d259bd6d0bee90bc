"""Placeholder: sitemaps of every public page land with the library's interoperability work."""

SITEMAPS = {}
