"""Notifications: alerts owed by the deadline sweep and their delivery (in-app and email)."""
