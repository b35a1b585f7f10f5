"""Developers' tools: run from a checkout, never by the site."""
