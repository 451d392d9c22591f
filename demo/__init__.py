"""The synthetic demo borough: seeds every app's demo data in the right order.

Its own app because it spans all the others (cases, advice requests, panels): no one of them may
import the rest, so the orchestration lives above them. All data is synthetic.
"""
