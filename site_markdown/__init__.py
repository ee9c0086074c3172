"""Python-Markdown extensions that build the site, under MkDocs or Zensical alike.

Each module is one extension with a `makeExtension(**kwargs)`, named in
mkdocs.yml under `markdown_extensions`. Unlike the MkDocs hooks in hooks/, they
need no plugin API: any tool that renders Markdown with Python-Markdown runs them.
"""
