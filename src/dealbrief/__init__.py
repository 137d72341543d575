"""dealbrief: a proof of concept, made into the CFO's business case and the AE's handoff checklist."""

__version__ = "0.1.0"
