"""The business case and its commercial risks: ``compute`` (the TEI engine, in ``Decimal``) → ``lint`` (the
``rules``, findings and handoff questions); ``pipeline`` runs a deal file from ``load`` to ``lint``.
"""
