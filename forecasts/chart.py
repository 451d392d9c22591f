"""A service's backlog, now and each of the next 12 weeks, as bars drawn on the server (SVG):
every bar carries its number and the forecast bars are hatched, so it reads without colour;
the title and description say the same in words for screen readers."""

from __future__ import annotations

from dataclasses import dataclass

from .backlog import ServiceBacklog

WIDTH = 720
HEIGHT = 280
LEFT = 16
BOTTOM = 44
TOP = 28


@dataclass(frozen=True)
class Bar:
    label: str
    sublabel: str
    value: int
    x: float
    y: float
    width: float
    height: float
    text_x: float
    now: bool


def backlog_chart(backlog: ServiceBacklog) -> dict:
    values = [("Now", "", backlog.outstanding, True)] + [
        (week.starts_on.strftime("%-d %b"), f"+{index + 1}w", round(week.backlog), False)
        for index, week in enumerate(backlog.weeks)
    ]
    highest = max((value for _, _, value, _ in values), default=0) or 1
    plot = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT) / len(values)
    bars = []
    for index, (label, sublabel, value, now) in enumerate(values):
        height = plot * value / highest
        x = LEFT + index * slot + slot * 0.15
        bars.append(
            Bar(
                label=label,
                sublabel=sublabel,
                value=value,
                x=round(x, 1),
                y=round(HEIGHT - BOTTOM - height, 1),
                width=round(slot * 0.7, 1),
                height=round(height, 1),
                text_x=round(x + slot * 0.35, 1),
                now=now,
            )
        )
    last = backlog.backlog_in_12_weeks
    trend = (
        "grows"
        if last > backlog.outstanding
        else "shrinks"
        if last < backlog.outstanding
        else "stays"
    )
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "axis_y": HEIGHT - BOTTOM,
        "label_y": HEIGHT - BOTTOM + 16,
        "sublabel_y": HEIGHT - BOTTOM + 32,
        "left": LEFT,
        "bars": bars,
        "title": f"{backlog.service.name}: advice outstanding now and forecast for 12 weeks",
        "description": (
            f"{backlog.outstanding} requests outstanding now. At {backlog.capacity:g} a week "
            f"({backlog.capacity_source}), the backlog {trend}"
            f"{'' if trend == 'stays' else ' to'} {last} in 12 weeks. Each week's figure is "
            "written above its bar and in the table below."
        ),
    }
