"""Reading a deal file: ``load`` (safe YAML, with the line and column of every key) → ``validate`` (the pydantic
``model``, then the rules across keys) → a :class:`~dealbrief.deal.model.Deal`, or located problems.
"""
