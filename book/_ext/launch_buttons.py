"""Launch buttons only where there is a notebook to launch.

The book theme gives every page with a kernel a "Launch" menu whose Colab link points at the page's
``.ipynb`` beside its source, or at the source itself when there is none. The chapters have their paired,
committed ``.ipynb``; a page such as the flashcards appendix is executed during the build but has no
notebook of its own, and Colab cannot open a MyST Markdown file. On such pages the menu is removed.
"""

from pathlib import Path


def _drop_launch_menu_without_notebook(app, pagename, templatename, context, doctree):
    buttons = context.get("header_buttons")
    if not buttons:
        return
    source = Path(app.env.doc2path(pagename))
    if source.with_suffix(".ipynb").exists():
        return
    context["header_buttons"] = [b for b in buttons if b.get("label") != "launch-buttons"]


def setup(app):
    # After the theme's own handlers (priority 501), which build the menu.
    app.connect("html-page-context", _drop_launch_menu_without_notebook, priority=600)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
