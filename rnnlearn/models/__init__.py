"""Task models built on the twins. Each submodule imports its framework itself; this package imports none."""
