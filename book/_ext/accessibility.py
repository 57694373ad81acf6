"""Accessibility fixes to the HTML that Sphinx writes, where CSS cannot reach.

Bibliography entries: docutils marks each entry with the role ``doc-biblioentry`` inside a
``role="list"`` container. DPUB-ARIA 1.1 deprecates that role, so assistive technology (and axe's
rule aria-required-children) sees a list without items. Each entry is given the role ``listitem``,
which is what the deprecated role meant.
"""


def _biblio_entries_as_list_items(app, pagename, templatename, context, doctree):
    body = context.get("body")
    if body and 'role="doc-biblioentry"' in body:
        context["body"] = body.replace('role="doc-biblioentry"', 'role="listitem"')


def setup(app):
    app.connect("html-page-context", _biblio_entries_as_list_items)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
