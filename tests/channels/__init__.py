"""Channel parsing and signature tests."""
