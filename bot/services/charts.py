"""The weekly chart of /stats as PNG bytes: matplotlib's Agg canvas, Korean labels in NanumGothic.

Drawn with the object API (a Figure and its own Agg canvas, never pyplot), so no global figure
state is shared and drawing is safe in a worker thread. matplotlib is imported on first use
only: the bot starts without paying for it.

The font comes from the `koreanize-matplotlib` package (a project dependency), which ships
NanumGothic's files. Only its files are used: importing that package would run its
`koreanize()`, which imports distutils (gone in Python 3.12, a DeprecationWarning before) and
changes matplotlib's global settings for everyone.
"""

from __future__ import annotations

import importlib.util
import io
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported on first use only (see above)
    from matplotlib.figure import Figure

FONT_PACKAGE = "koreanize_matplotlib"
FONT_FILE = "NanumGothic.ttf"
SIZE_INCHES = (8.0, 4.5)
DPI = 120
SENDS_COLOR = "#2f6fb0"
FAILURES_COLOR = "#d0543a"

_font_lock = threading.Lock()
_font: Any = None


@dataclass(frozen=True)
class WeeklyChart:
    """What the chart shows: the Monday (local time) of each week, oldest first."""

    weeks: list[datetime]
    sends: list[int]
    failures: list[int]


@dataclass(frozen=True)
class ChartTexts:
    """Every word on the chart, in the reader's language."""

    title: str
    sends: str
    failures: str
    axis: str
    week: Callable[[datetime], str]  # a week's tick label from its Monday


def font_path() -> Path:
    """NanumGothic inside the installed koreanize-matplotlib, found without importing it."""
    spec = importlib.util.find_spec(FONT_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(f"{FONT_PACKAGE} is not installed (pyproject.toml lists it)")
    path = Path(next(iter(spec.submodule_search_locations))) / "fonts" / FONT_FILE
    if not path.is_file():
        raise FileNotFoundError(path)
    return path


def _korean_font() -> Any:
    global _font
    with _font_lock:
        if _font is None:
            from matplotlib.font_manager import FontProperties

            _font = FontProperties(fname=str(font_path()))
        return _font


def render_weekly(chart: WeeklyChart, texts: ChartTexts) -> bytes:
    """Bars of sends and of failed records per week, as a PNG; blocking, run it in a thread."""
    figure = draw_weekly(chart, texts)
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()


def draw_weekly(chart: WeeklyChart, texts: ChartTexts) -> Figure:
    """The chart's figure (render_weekly saves it): counts from 0, in whole numbers."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    font = _korean_font()
    figure = Figure(figsize=SIZE_INCHES, dpi=DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    positions = list(range(len(chart.weeks)))
    width = 0.4
    axes.bar([p - width / 2 for p in positions], chart.sends, width, color=SENDS_COLOR,
             label=texts.sends)  # fmt: skip
    axes.bar([p + width / 2 for p in positions], chart.failures, width, color=FAILURES_COLOR,
             label=texts.failures)  # fmt: skip
    axes.set_xticks(positions)
    axes.set_xticklabels([texts.week(w) for w in chart.weeks], fontproperties=font, rotation=45)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    # Counts start at 0; with nothing sent yet matplotlib would centre the axis on 0
    # (-0.04 … 0.04), so the empty chart gets 0 … 1.
    highest = max([*chart.sends, *chart.failures], default=0)
    axes.set_ylim(0, None if highest > 0 else 1)
    axes.set_ylabel(texts.axis, fontproperties=font)
    axes.set_title(texts.title, fontproperties=font)
    axes.legend(prop=font)
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    return figure
