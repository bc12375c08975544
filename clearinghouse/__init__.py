"""Clearinghouse: a research library for child protection and anti-trafficking."""

__version__ = "0.1.0"
