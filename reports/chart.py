"""This year's monthly 20-week timeliness as a bar chart drawn on the server (SVG), so it reads
without JavaScript. The geometry is worked out here; the template only draws it."""

from __future__ import annotations

from dataclasses import dataclass

WIDTH = 720
HEIGHT = 260
LEFT = 40
BOTTOM = 40
TOP = 20
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class Bar:
    label: str
    x: float
    width: float
    on_time_y: float
    on_time_height: float
    late_y: float
    late_height: float
    on_time: int
    late: int
    text_x: float


def timeliness_chart(report: dict) -> dict:
    """Stacked bars: plans issued on time (bottom) and late (top), one bar a month."""
    months = report["months"]
    highest = max((month["issued"] for month in months), default=0) or 1
    plot_height = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT) / len(months)
    bars = []
    for index, month in enumerate(months):
        on_time_height = plot_height * month["on_time"] / highest
        late_height = plot_height * month["late"] / highest
        base = HEIGHT - BOTTOM
        x = LEFT + index * slot + slot * 0.15
        bars.append(
            Bar(
                label=MONTH_NAMES[index],
                x=round(x, 1),
                width=round(slot * 0.7, 1),
                on_time_y=round(base - on_time_height, 1),
                on_time_height=round(on_time_height, 1),
                late_y=round(base - on_time_height - late_height, 1),
                late_height=round(late_height, 1),
                on_time=month["on_time"],
                late=month["late"],
                text_x=round(x + slot * 0.35, 1),
            )
        )
    total = report["total"]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "axis_y": HEIGHT - BOTTOM,
        "label_y": HEIGHT - BOTTOM + 18,
        "left": LEFT,
        "highest": highest,
        "top": TOP,
        "bars": bars,
        "description": (
            f"{report['year']}: {total['issued']} final plans issued, {total['on_time']} within "
            f"20 weeks and {total['late']} late. Each month's figures are in the table below."
        ),
    }
