"""Shopfloor: an evidence platform for trade unions in garment supply chains.

The package is a Django project and a Python library at once: the functions in
``shopfloor.*`` modules are the library; ``shopfloor.cli``, ``shopfloor.web`` and
``shopfloor.api`` are thin layers over them.
"""

__version__ = "0.1.0"
