"""Tests that need a real git repository (made in a temporary folder) or run the command line in-process on files: the
history, the version sent, stale answers, the rules' examples, the example repositories' transcripts."""
