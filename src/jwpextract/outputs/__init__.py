"""Outputs beside the canonical JSON: views of an extraction for people (the review page)."""
