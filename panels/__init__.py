"""Panels: the weekly Needs Assessment, Early Years and statutory panels, agendas and decisions."""
