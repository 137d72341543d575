"""The Jinja2 templates, shipped in the package; a team can override any of them (see the README)."""
