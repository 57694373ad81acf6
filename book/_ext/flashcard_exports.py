"""Write every chapter's flashcards as an Anki package and a CSV before Sphinx reads the book,
so the flashcards appendix can offer both for download (``{download}`` role)."""

from pathlib import Path

EXPORT_DIR = "book/_generated"


def _export(app):
    from rnnlearn.quiz.export import export_all

    export_all(Path(app.srcdir) / EXPORT_DIR)


def setup(app):
    app.connect("builder-inited", _export)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
