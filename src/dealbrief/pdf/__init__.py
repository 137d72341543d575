"""The PDFs: ``export`` (pandoc → Typst, in spawned ``worker`` processes, with the ``fonts`` every locale needs)."""
