"""The append-only audit trail.

A separate app because every other app (cases, advice requests, panels) writes to it and none of
them owns it: the trail outlives any one workflow object and must be readable per case.
"""
