"""mdmastery: coach-style reviews from a plain-text Markdown vault."""

__version__ = "0.1.0"
