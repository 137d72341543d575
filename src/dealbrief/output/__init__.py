"""What people read: ``render`` (Jinja2 templates, the one escape) → the site's ``pages`` and ``chart``; ``terminal``
(``show``), ``show_json``, ``check_report``, ``diff``; ``security`` keeps deal text from becoming markup in a browser.
"""
