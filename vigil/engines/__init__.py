"""Analytics engines: plain libraries that import nothing from Django (see ARCHITECTURE.md)."""
