"""Command-line tools for maintaining the site: `python -m scripts.<tool>`."""
