"""Two fixes to the page assets, so that every page works offline and without console errors.

1. Load MathJax on every page. Sphinx adds MathJax only to pages whose own text has math. The
   quizzes and flashcards bring their math inside cell outputs, which Sphinx cannot see, and
   jupyterquiz needs MathJax to typeset it. This marks every page as having equations;
   sphinx-mathjax-offline points ``mathjax_path`` at the copy of MathJax 3 shipped inside the
   built book, so no page needs a CDN.
2. Drop scripts registered twice. sphinx-thebe registers its inline configuration each time Sphinx
   reads documents; a page that declares ``const THEBE_JS_URL`` twice throws a SyntaxError.
"""


def _mark_math(app, doctree):
    app.env.get_domain("math").data["has_equations"][app.env.docname] = True


def _script_key(script):
    attributes = getattr(script, "attributes", {}) or {}
    return (getattr(script, "filename", str(script)) or "", attributes.get("body"))


def _drop_duplicate_scripts(app, pagename, templatename, context, doctree):
    seen, unique = set(), []
    for script in context.get("script_files", []):
        key = _script_key(script)
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"][:] = unique


def setup(app):
    # priority 1: run before any handler that returns a template name (which ends the event)
    app.connect("doctree-read", _mark_math)
    app.connect("html-page-context", _drop_duplicate_scripts, priority=1)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
