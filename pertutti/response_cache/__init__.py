"""Rendered public pages and API reads kept in Django's cache (see `middleware`)."""
