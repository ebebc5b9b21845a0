"""The ``ws`` and ``vault_root`` fixtures are in tests/conftest.py (the web tests use them too)."""
