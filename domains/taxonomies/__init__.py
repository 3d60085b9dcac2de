"""Bundled taxonomy YAML files (a package only so the files ship inside wheels)."""
