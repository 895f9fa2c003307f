"""Content shipped with safetykit as data files (TOML), validated when loaded."""
