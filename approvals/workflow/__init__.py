"""The workflow engine: workflows as data (TOML), run on `transitions` machines.

This is the only package that imports `transitions`; it knows nothing of HTTP.
"""
