"""Advice requests: the advice asked of partner services for each assessment (reg 6)."""
