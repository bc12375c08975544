"""Shared code that is not about the library's domain, one topic per module."""
