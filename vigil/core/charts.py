"""Charts drawn on the server as SVG: the same figure on the page and in the PDF (WeasyPrint
draws the same markup), readable without colour and without a mouse.

Every chart is a ``<figure>`` with its title and unit, an SVG with axis ticks and gridlines,
and a legend when colour carries a meaning. Each bar, column or point writes its value as
text and carries an SVG ``<title>`` ("S102 Lakeview Mall: 3.8 %"), which the browser shows
on hover and ``vigil/chart-tips.js`` shows on tap; the whole chart has a text alternative
for screen readers.

Why not a vendored chart library: the JavaScript ones draw in the browser, so the PDF would
need a second renderer; the Python ones (matplotlib, pygal) draw at a fixed size, so text
shrinks to nothing on a phone. Here the horizontal positions are percentages and the
vertical ones pixels: the chart stretches to any width while its text stays 12 px, and
WeasyPrint resolves percentages the same way. The cost is that nothing may be placed at
"100 % less 40 px", so axis labels sit on their gridlines instead of in a gutter.

Three shapes: ``bars`` (horizontal, to compare groups), ``line`` (a trend over time, one or
more series) and ``columns`` (counts over time, stacked by kind).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

Format = Callable[[float], str]


class Tone:
    """Colours that mean something, the same on every chart and key-figure tile. They read
    on a light and on a dark page; the text beside them says the same in words."""

    NEUTRAL = "neutral"  # a figure, no judgement
    BAD = "bad"  # above the chain, overdue, at risk
    WARN = "warn"  # worth a look
    GOOD = "good"  # on target
    MUTED = "muted"  # a comparison: the chain, the median store
    TEXT = "currentColor"  # a bar's own comparison mark: the page's text colour

    COLOURS: dict[str, str] = {
        NEUTRAL: "#1c7ed6",
        BAD: "#e03131",
        WARN: "#e8890c",
        GOOD: "#2f9e44",
        MUTED: "#868e96",
    }
    # Kinds without a judgement (incident types, alert outcomes), told apart by hue.
    SERIES = ("#1c7ed6", "#e8890c", "#0c8599", "#7048e8", "#e64980", "#868e96")


def colour(tone: str) -> str:
    """The colour of a tone name, or ``tone`` itself when it already is one (``#0c8599``,
    ``currentColor``)."""
    if tone in Tone.COLOURS:
        return Tone.COLOURS[tone]
    return tone if tone.startswith("#") or tone == Tone.TEXT else Tone.COLOURS[Tone.NEUTRAL]


@dataclass(frozen=True)
class Measure:
    """How a chart's values read: in full (at the bar, on hover), short (on an axis tick),
    and the unit written under the title ("% of counted book value", "USD at cost")."""

    unit: str
    full: Format
    short: Format
    whole: bool = False  # counts: ticks at whole numbers only


@dataclass(frozen=True)
class Point:
    """One value: a bar, a column segment or a point on a line."""

    label: str
    value: float
    tone: str = Tone.NEUTRAL
    note: str = ""  # said on hover after the value: "2.1x the chain rate"
    href: str = ""  # where the mark leads: the store, the hot spot
    mark: float | None = None  # a bar's own comparison (the chain's rate for its department)


@dataclass(frozen=True)
class Series:
    """A named run of values, one per label of the chart (a line, or one kind of column)."""

    name: str
    points: Sequence[Point]
    tone: str = Tone.NEUTRAL


@dataclass(frozen=True)
class Reference:
    """A value to compare against, drawn dashed across the chart: the chain rate, a target."""

    value: float
    label: str


@dataclass(frozen=True)
class Key:
    """One line of a legend: a colour and what it means."""

    tone: str
    text: str
    dashed: bool = False


# --- number formats ------------------------------------------------------------------------


def _trim(number: float, digits: int) -> str:
    text = f"{number:,.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def percent(value: float) -> str:
    """A share as people read it: ``0.0384`` is "3.8 %"."""
    return f"{value * 100:.1f} %"


def _percent_tick(value: float) -> str:
    return f"{_trim(value * 100, 2)} %"


def plain(value: float) -> str:
    """A count or amount with thousands separators: "4,936"."""
    return f"{value:,.0f}"


def _compact(value: float) -> str:
    """ "950", "12k", "1.2M": an axis has room for three characters."""
    size = abs(value)
    if size >= 1_000_000:
        return f"{_trim(value / 1_000_000, 1)}M"
    if size >= 10_000:
        return f"{_trim(value / 1_000, 0)}k"
    if size >= 1_000:
        return f"{_trim(value / 1_000, 1)}k"
    return _trim(value, 1)


SYMBOLS = {"USD": "$", "CAD": "CA$", "AUD": "A$", "EUR": "€", "GBP": "£", "NZD": "NZ$"}


def money_text(value: float, currency: str = "USD", cents: bool = False) -> str:
    """ "$43,860" (or "$43,860.05" with ``cents``); a currency without a symbol goes after."""
    digits = 2 if cents else 0
    sign, size = ("-" if value < 0 else ""), abs(value)
    symbol = SYMBOLS.get(currency)
    return f"{sign}{symbol}{size:,.{digits}f}" if symbol else f"{sign}{size:,.{digits}f} {currency}"


def installation_currency() -> str:
    """The organisation's currency (one per installation), US dollars when none is set up.
    The one look-up in this module: a money axis has to say which money it counts."""
    from vigil.core.models import Organisation

    found = Organisation.objects.order_by("pk").values_list("currency", flat=True).first()
    return found or "USD"


def money(currency: str = "", unit: str = "at cost") -> Measure:
    """Amounts of ``currency`` (the installation's when not given): "$43,860", ticks "$40k"."""
    currency = currency or installation_currency()
    symbol = SYMBOLS.get(currency, "")
    return Measure(
        unit=f"{currency} {unit}".strip(),
        full=lambda value: money_text(value, currency),
        short=lambda value: f"{'-' if value < 0 else ''}{symbol}{_compact(abs(value))}",
    )


def count(unit: str) -> Measure:
    """Whole things: incidents, alerts, exceptions."""
    return Measure(unit=unit, full=plain, short=_compact, whole=True)


def share(unit: str, digits: int = 1) -> Measure:
    """A rate shown in per cent: shrink over book value (``digits=2``: "3.84 %", where
    stores differ in the second decimal), training completion."""
    return Measure(unit=unit, full=lambda v: f"{v * 100:.{digits}f} %", short=_percent_tick)


def score(unit: str) -> Measure:
    return Measure(unit=unit, full=lambda v: f"{v:,.0f}", short=_compact)


COUNT = count("")
PERCENT = share("%")


# --- scales --------------------------------------------------------------------------------


def ticks(low: float, high: float, whole: bool = False, most: int = 5) -> list[float]:
    """Round tick values from at or below ``low`` to at or above ``high``: steps of 1, 2,
    2.5 or 5 times a power of ten, no more than ``most`` intervals."""
    low, high = min(low, 0.0), max(high, 0.0)
    if high - low <= 0:
        high = low + 1
    raw = (high - low) / most
    magnitude = 10 ** math.floor(math.log10(raw))
    steps = (1, 2, 5, 10) if whole else (1, 2, 2.5, 5, 10)
    step = next(m * magnitude for m in steps if m * magnitude >= raw - 1e-12)
    if whole:
        step = max(step, 1.0)
    first, last = math.floor(low / step + 1e-9), math.ceil(high / step - 1e-9)
    return [round(n * step, 10) for n in range(first, last + 1)]


@dataclass
class _Scale:
    low: float
    high: float

    def share(self, value: float) -> float:
        """Where ``value`` falls between the ends, 0 to 1."""
        return (value - self.low) / (self.high - self.low) if self.high > self.low else 0.0


def _pc(value: float) -> str:
    return f"{value:.2f}%"


def _px(value: float) -> str:
    return f"{value:.1f}"


# --- the figure around a chart --------------------------------------------------------------


@dataclass
class _Figure:
    title: str
    measure: Measure
    height: int
    described: list[str]
    parts: list[SafeString] = field(default_factory=list)
    legend: list[Key] = field(default_factory=list)
    css: str = ""
    axis: list[SafeString] = field(default_factory=list)  # the value labels' gutter
    gutter: int = 0
    # Marks that are links make the chart a group of links, not one image: an image's
    # insides are hidden from screen readers, so its links could not be reached.
    linked: bool = False

    def add(self, markup: SafeString) -> None:
        self.parts.append(markup)

    def render(self) -> SafeString:
        unit = format_html('<span class="chart-unit">{}</span>', self.measure.unit) if (
            self.measure.unit
        ) else ""  # fmt: skip
        plot = format_html(
            '<svg class="chart-svg" width="100%" height="{h}" role="{role}" '
            'aria-label="{title}: {described}" font-family="system-ui, sans-serif" '
            'font-size="12"><title>{title}</title>{body}</svg>',
            role="group" if self.linked else "img",
            title=self.title,
            h=self.height,
            described="; ".join(self.described),
            body=mark_safe("".join(self.parts)),  # noqa: S308  each part came from format_html
        )
        if self.axis:
            # A gutter of its own, in pixels, so the value labels never sit on the data:
            # the plot beside it stretches (see the module's docstring).
            plot = format_html(
                '<div class="chart-plot"><svg class="chart-axis" width="{w}" height="{h}" '
                'aria-hidden="true" font-family="system-ui, sans-serif">{labels}</svg>{plot}'
                "</div>",
                w=self.gutter,
                h=self.height,
                labels=mark_safe("".join(self.axis)),  # noqa: S308  parts from format_html
                plot=plot,
            )
        return format_html(
            '<figure class="chart {css}">'
            '<figcaption><span class="chart-title">{title}</span>{unit}</figcaption>'
            "{plot}{legend}</figure>",
            css=self.css,
            title=self.title,
            unit=unit,
            plot=plot,
            legend=_legend(self.legend),
        )


def _legend(keys: Sequence[Key]) -> SafeString:
    if not keys:
        return mark_safe("")
    return format_html(
        '<ul class="chart-legend">{}</ul>',
        format_html_join(
            "",
            '<li><svg width="14" height="10" aria-hidden="true">{}</svg>{}</li>',
            (
                (
                    format_html(
                        '<line x1="0" x2="14" y1="5" y2="5" stroke="{}" stroke-width="2" '
                        'stroke-dasharray="3 2"/>',
                        colour(key.tone),
                    )
                    if key.dashed
                    else format_html(
                        '<rect width="14" height="10" rx="2" fill="{}"/>', colour(key.tone)
                    ),
                    key.text,
                )
                for key in keys
            ),
        ),
    )


def _empty(title: str) -> SafeString:
    return format_html(
        '<figure class="chart chart-empty"><figcaption><span class="chart-title">{}</span>'
        '</figcaption><p class="muted">Nothing to show yet.</p></figure>',
        title,
    )


def _hover(point: Point, measure: Measure, prefix: str = "") -> str:
    said = f"{prefix}{point.label}: {measure.full(point.value)}"
    return f"{said} · {point.note}" if point.note else said


def _linked(point: Point, markup: SafeString) -> SafeString:
    return format_html('<a href="{}">{}</a>', point.href, markup) if point.href else markup


def _reference_key(reference: Reference | None, measure: Measure) -> list[Key]:
    if reference is None:
        return []
    return [Key(Tone.MUTED, f"{reference.label} {measure.full(reference.value)}", dashed=True)]


# --- bars ----------------------------------------------------------------------------------

ROW, BAR, AXIS = 34, 10, 22


def bars(
    title: str,
    points: Sequence[Point],
    measure: Measure = COUNT,
    *,
    reference: Reference | None = None,
    legend: Sequence[Key] = (),
) -> SafeString:
    """One horizontal bar per point, largest first as given: the label and value on a line,
    the bar under them, a value axis with gridlines at the foot. ``reference`` (the chain's
    rate, say) is a dashed line across every bar; ``legend`` says what the tones mean."""
    if not points:
        return _empty(title)
    values = [p.value for p in points] + ([reference.value] if reference else [])
    values += [p.mark for p in points if p.mark is not None]
    marks = ticks(min(values), max(values), measure.whole)
    scale = _Scale(marks[0], marks[-1])
    rows_height = ROW * len(points)
    figure = _Figure(
        title,
        measure,
        rows_height + AXIS + 4,
        [f"{p.label} {measure.full(p.value)}" for p in points],
        legend=[*legend, *_reference_key(reference, measure)],
        css="chart-bars",
        linked=any(p.href for p in points),
    )
    for tick in marks:
        x = 100 * scale.share(tick)
        anchor = "start" if x < 1 else ("end" if x > 99 else "middle")
        figure.add(
            format_html(
                '<line class="grid" x1="{x}" x2="{x}" y1="4" y2="{bottom}" stroke="currentColor" '
                'stroke-opacity="{opacity}"/>'
                '<text class="tick" x="{x}" y="{label}" text-anchor="{a}" font-size="11" '
                'fill="currentColor" fill-opacity="0.7">{text}</text>',
                x=_pc(x),
                bottom=rows_height + 2,
                opacity="0.35" if tick == 0 else "0.12",
                label=rows_height + AXIS - 4,
                a=anchor,
                text=measure.short(tick),
            )
        )
    zero = 100 * scale.share(0)
    for row, point in enumerate(points):
        top = row * ROW
        end = 100 * scale.share(point.value)
        mark = format_html(
            '<g class="mark"><title>{hover}</title>'
            '<rect x="0" y="{top}" width="100%" height="{row}" fill="#000" fill-opacity="0"/>'
            '<text x="0" y="{baseline}" fill="currentColor">{label}</text>'
            '<text x="100%" y="{baseline}" text-anchor="end" font-weight="600" '
            'fill="currentColor">{value}</text>'
            '<rect x="{x}" y="{bar_top}" width="{width}" height="{bar}" rx="2" fill="{fill}"/>'
            "{compared}</g>",
            hover=_hover(point, measure),
            top=top,
            row=ROW,
            baseline=top + 14,
            label=point.label,
            value=measure.full(point.value),
            x=_pc(min(zero, end)),
            bar_top=top + 19,
            width=_pc(max(abs(end - zero), 0.4)),
            bar=BAR,
            fill=colour(point.tone),
            compared=format_html(
                '<rect x="{}" y="{}" width="3" height="{}" fill="currentColor"/>',
                _pc(100 * scale.share(point.mark)),
                top + 16,
                BAR + 6,
            )
            if point.mark is not None
            else "",
        )
        figure.add(_linked(point, mark))
    if reference is not None:
        # Dashed across each bar's band only, so that it never runs through a label.
        across = _pc(100 * scale.share(reference.value))
        said = f"{reference.label}: {measure.full(reference.value)}"
        for row in range(len(points)):
            figure.add(
                format_html(
                    '<line class="reference" x1="{x}" x2="{x}" y1="{top}" y2="{bottom}" '
                    'stroke="{c}" stroke-width="1.5" stroke-dasharray="3 2"><title>{t}</title>'
                    "</line>",
                    x=across,
                    top=row * ROW + 16,
                    bottom=row * ROW + 19 + BAR + 3,
                    c=colour(Tone.MUTED),
                    t=said,
                )
            )
    return figure.render()


# --- line ----------------------------------------------------------------------------------

LINE_HEIGHT, PLOT_TOP, PLOT_BOTTOM = 210, 22, 176
LEFT, RIGHT = 3.0, 97.0  # per cent: room for the first and last points


def _x_of(index: int, count: int) -> float:
    if count == 1:
        return 50.0
    return LEFT + (RIGHT - LEFT) * index / (count - 1)


def _y_axis(figure: _Figure, marks: list[float], scale: _Scale, measure: Measure) -> None:
    """Horizontal gridlines across the plot, each tick's value in the gutter at its left."""
    texts = [measure.short(tick) for tick in marks]
    figure.gutter = max(len(text) for text in texts) * 7 + 10
    for tick, text in zip(marks, texts, strict=True):
        y = PLOT_BOTTOM - (PLOT_BOTTOM - PLOT_TOP) * scale.share(tick)
        figure.add(
            format_html(
                '<line class="grid" x1="0" x2="100%" y1="{y}" y2="{y}" stroke="currentColor" '
                'stroke-opacity="{o}"/>',
                y=_px(y),
                o="0.35" if tick == marks[0] else "0.12",
            )
        )
        figure.axis.append(
            format_html(
                '<text class="tick" x="{x}" y="{y}" text-anchor="end" font-size="11" '
                'fill="currentColor" fill-opacity="0.7">{text}</text>',
                x=figure.gutter - 6,
                y=_px(y + 4),
                text=text,
            )
        )


def _x_labels(figure: _Figure, labels: Sequence[str], position: Callable[[int], float]) -> None:
    """Labels under their places, five at most so that they fit a phone: with more, every
    second or third is written, counting back from the newest (the hover names each)."""
    every = math.ceil(len(labels) / 5)
    last = len(labels) - 1
    for index, label in enumerate(labels):
        if (last - index) % every:
            continue
        x = position(index)
        anchor = "start" if x < 10 else ("end" if x > 90 else "middle")
        figure.add(
            format_html(
                '<text class="tick" x="{x}" y="{y}" text-anchor="{a}" font-size="11" '
                'fill="currentColor" fill-opacity="0.8">{label}</text>',
                x=_pc(x),
                y=LINE_HEIGHT - 12,
                a=anchor,
                label=label,
            )
        )


def line(
    title: str,
    data: Sequence[Point] | Sequence[Series],
    measure: Measure = COUNT,
    *,
    reference: Reference | None = None,
) -> SafeString:
    """A trend, oldest first: one line per series (a list of points is one series), a value
    axis with gridlines, each point's value written above it when there are few. Every
    series has the same labels in the same order."""
    series = _as_series(data)
    if not series or not series[0].points:
        return _empty(title)
    labels = [p.label for p in series[0].points]
    values = [p.value for s in series for p in s.points]
    values += [reference.value] if reference else []
    marks = ticks(min(values), max(values), measure.whole, most=4)
    scale = _Scale(marks[0], marks[-1])
    named = len(series) > 1 or reference is not None
    figure = _Figure(
        title,
        measure,
        LINE_HEIGHT,
        [
            f"{s.name + ' ' if len(series) > 1 else ''}{p.label} {measure.full(p.value)}"
            for s in series
            for p in s.points
        ],
        legend=[Key(s.tone, s.name) for s in series if named and s.name]
        + _reference_key(reference, measure),
        css="chart-line",
        linked=any(p.href for s in series for p in s.points),
    )
    _y_axis(figure, marks, scale, measure)
    _x_labels(figure, labels, lambda i: _x_of(i, len(labels)))

    def y_of(value: float) -> float:
        return PLOT_BOTTOM - (PLOT_BOTTOM - PLOT_TOP) * scale.share(value)

    if reference is not None:
        figure.add(
            format_html(
                '<line class="reference" x1="0" x2="100%" y1="{y}" y2="{y}" stroke="{c}" '
                'stroke-width="1.5" stroke-dasharray="5 4"><title>{t}</title></line>',
                y=_px(y_of(reference.value)),
                c=colour(Tone.MUTED),
                t=f"{reference.label}: {measure.full(reference.value)}",
            )
        )
    for index, one in enumerate(series):
        # Values are written for the first series only (the subject); the others, the
        # comparison, say theirs on hover, so that no two labels sit on each other.
        figure.add(
            _one_line(
                one, measure, y_of, prefix=f"{one.name}, " if one.name else "", written=index == 0
            )
        )
    return figure.render()


def _as_series(data: Sequence[Point] | Sequence[Series]) -> list[Series]:
    if data and isinstance(data[0], Point):
        return [Series("", [p for p in data if isinstance(p, Point)])]
    return [s for s in data if isinstance(s, Series)]


def _one_line(
    series: Series,
    measure: Measure,
    y_of: Callable[[float], float],
    prefix: str,
    written: bool = True,
) -> SafeString:
    count_ = len(series.points)
    stroke = colour(series.tone)
    spots = [(_x_of(i, count_), y_of(p.value)) for i, p in enumerate(series.points)]
    segments = [
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="2.5" '
            'stroke-linecap="round"/>',
            _pc(x1),
            _px(y1),
            _pc(x2),
            _px(y2),
            stroke,
        )
        for (x1, y1), (x2, y2) in itertools.pairwise(spots)
    ]
    labelled = count_ <= 6
    marks = []
    for index, ((x, y), point) in enumerate(zip(spots, series.points, strict=True)):
        value = ""
        if written and (labelled or index == count_ - 1):
            anchor = "start" if x < 6 else ("end" if x > 94 else "middle")
            value = format_html(
                '<text x="{}" y="{}" text-anchor="{}" font-size="11.5" font-weight="600" '
                'fill="currentColor">{}</text>',
                _pc(x),
                _px(y - 9),
                anchor,
                measure.full(point.value),
            )
        marks.append(
            _linked(
                point,
                format_html(
                    '<g class="mark"><title>{hover}</title>'
                    '<circle cx="{x}" cy="{y}" r="12" fill="#000" fill-opacity="0"/>'
                    '<circle cx="{x}" cy="{y}" r="4" fill="{c}"/>{value}</g>',
                    hover=_hover(point, measure, prefix),
                    x=_pc(x),
                    y=_px(y),
                    c=colour(point.tone) if point.tone != Tone.NEUTRAL else stroke,
                    value=value,
                ),
            )
        )
    return mark_safe("".join([*segments, *marks]))  # noqa: S308  parts from format_html


# --- columns -------------------------------------------------------------------------------


def columns(
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    measure: Measure = COUNT,
    *,
    hover_labels: Sequence[str] = (),
) -> SafeString:
    """Counts over time: one column per label, the series stacked in it (incidents by kind
    per week), the total written on top. ``hover_labels`` name each column in full where the
    axis has room only for a short name ("Week of 2026-11-16" for "16 Nov")."""
    if not labels or not series:
        return _empty(title)
    totals = [sum(s.points[i].value for s in series) for i in range(len(labels))]
    marks = ticks(0, max(totals), measure.whole, most=4)
    scale = _Scale(marks[0], marks[-1])
    slot = 100 / len(labels)
    figure = _Figure(
        title,
        measure,
        LINE_HEIGHT,
        [f"{label} {measure.full(total)}" for label, total in zip(labels, totals, strict=True)],
        legend=[Key(s.tone, s.name) for s in series if s.name],
        css="chart-columns",
    )
    _y_axis(figure, marks, scale, measure)
    _x_labels(figure, labels, lambda i: slot * (i + 0.5))
    names = list(hover_labels) or list(labels)
    span = PLOT_BOTTOM - PLOT_TOP
    for index, total in enumerate(totals):
        x, width = slot * (index + 0.18), slot * 0.64
        base = float(PLOT_BOTTOM)
        pieces = [
            f"{s.name} {measure.full(s.points[index].value)}"
            for s in series
            if s.points[index].value and len(series) > 1
        ]
        hover = f"{names[index]}: {measure.full(total)}" + (
            f" ({', '.join(pieces)})" if pieces else ""
        )
        stack = []
        for one in series:
            height = span * scale.share(one.points[index].value) if one.points[index].value else 0
            if height <= 0:
                continue
            base -= height
            stack.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>',
                    _pc(x),
                    _px(base),
                    _pc(width),
                    _px(height),
                    colour(one.tone),
                )
            )
        figure.add(
            format_html(
                '<g class="mark"><title>{hover}</title>'
                '<rect x="{slot_x}" y="{top}" width="{slot_w}" height="{span}" fill="#000" '
                'fill-opacity="0"/>{stack}{total}</g>',
                hover=hover,
                slot_x=_pc(slot * index),
                top=PLOT_TOP,
                slot_w=_pc(slot),
                span=span,
                stack=mark_safe("".join(stack)),  # noqa: S308  parts from format_html
                total=format_html(
                    '<text class="{}" x="{}" y="{}" text-anchor="middle" font-size="11" '
                    'font-weight="600" fill="currentColor">{}</text>',
                    # Many columns: a phone hides the totals (the page's CSS); tap says each.
                    "total dense" if len(labels) > 8 else "total",
                    _pc(slot * (index + 0.5)),
                    _px(base - 5),
                    measure.full(total),
                )
                if total
                else "",
            )
        )
    return figure.render()


__all__ = [
    "COUNT",
    "PERCENT",
    "Key",
    "Measure",
    "Point",
    "Reference",
    "Series",
    "Tone",
    "bars",
    "colour",
    "columns",
    "count",
    "installation_currency",
    "line",
    "money",
    "money_text",
    "percent",
    "plain",
    "score",
    "share",
    "ticks",
]
