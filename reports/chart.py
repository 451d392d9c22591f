"""This year's monthly 20-week timeliness as a bar chart drawn on the server (SVG), so it reads
without JavaScript, and without colour: late plans are hatched, each segment carries its count
when it has room, and a visible key names both (issue 14). The geometry is worked out here;
the template only draws it."""

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

    #: Labels inside a segment need this much height (px) to fit the 12 px text.
    LABEL_ROOM = 16

    @property
    def on_time_label_y(self) -> float | None:
        """Where the on-time count is written inside its segment (None: too short, the key
        and the table carry it)."""
        if not self.on_time or self.on_time_height < self.LABEL_ROOM:
            return None
        return round(self.on_time_y + self.on_time_height / 2 + 4, 1)

    @property
    def late_label_y(self) -> float | None:
        if not self.late or self.late_height < self.LABEL_ROOM:
            return None
        return round(self.late_y + self.late_height / 2 + 4, 1)

    @property
    def issued(self) -> int:
        return self.on_time + self.late


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
