#!/usr/bin/python3
"""Recomputes an rnncast forecast with PyTorch, from the model file and the CSV alone.

Usage: /usr/bin/python3 test/torch/check_forecast.py MODEL.json INPUT.csv [--series ID] [--fill POLICY]

Prints on stdout the `horizon` point forecasts that `rnncast forecast INPUT.csv -m MODEL.json`
writes for the series (one per line, Python repr floats: exact float64). Nothing else goes to
stdout; messages go to stderr. Everything is recomputed here in float64, without node, from the
model file (format rnncast-model, version 2, 4 with data.memberBaselines, 5 with data.windowScale) and the CSV, following src/forecast/predict.ts:

Network. nn.LSTM / nn.GRU (batch_first) + nn.Linear(D*H + E, horizon) on the last layer's final
hidden state (bidirectional: forward after the last step ‖ backward after the first), with E =
len(config.headInputs) known-future inputs concatenated after it. The weights are the file's
`weights` (PyTorch state_dict names) loaded with load_state_dict(strict=True); every member of
`ensembleWeights` is loaded the same way, and the ensemble's forecast is the per-step median of
the members' outputs (the mean of the middle two for an even count), as medianOf does. With
data.memberBaselines (version 4), member k corrects memberBaselines[k mod n], and the ensemble
forecasts the mean of its members' baselines plus data.correctionWeight · that median · scale.

Inputs (src/data/prepare.ts, gatherBatch). The series is read from the CSV the way rnncast reads
it (data.timeColumn, data.target, data.features, data.idColumn; times sorted, duplicates refused,
placed on the data.freq grid, cut after the last target value (rows past it are not data),
missing values and timestamps filled by --fill POLICY, which must
be the one `rnncast forecast` ran with: interpolate, rnncast's default, unless given). With v = g(y) (g the log when data.series[].log, else identity)
and origin T = N (just past the end), each of the `lookback` steps t in [T-B, T) gives, in
config.inputs order (checked against the names derived here):
    <target>:level            (v[t] - level) / scale, level = v[T-B] (the window's first point),
                              or the series' center when data.baseline is 'none'
    <target>:change           (v[t] - v[t-1]) / scale (0 at the first point of the series)
    <target>:seasonal-change  (v[t] - v[t-m]) / scale, m = data.baseSeason (seasonal and two-season baselines only)
    features                  (x - center) / scale with the series' data.series[].scaler.inputs
where scale is data.series[].scale, or with data.windowScale (version 5) the window's unit: the
larger of that and the mean of |v[t] - v[t-lag]| over t in [max(T-B, lag), T), lag = data.baseSeason
for the seasonal and two-season baselines, else 1 (src/data/prepare.ts, windowUnit).
    calendar:<cycle>:sin/cos  sin/cos(2π·phase) of the time on the input's wall clock, cycle in
                              data.calendar: day (time of day), week (Monday 00:00 = 0), year
                              (day of year / 365 or 366)
Head inputs (config.headInputs, when data.headCalendar): the calendar of each horizon step's
time (the last time plus h+1 steps of data.freq), step after step.

Output. The network predicts (v[T+h] - base_h) / scale, base_h the baseline's forecast in the
transformed space (src/data/baseline.ts: none → center, naive → v[T-1], drift → v[T-1] +
(h+1)(v[T-1] - v[0])/(T-1), seasonal → v[T-m+(h mod m)], two-season → (v[T-m+j] + v[T-2m+j])/2
+ (M1 - M2)/2 with j = h mod m and M1, M2 the means of v[T-m, T) and v[T-2m, T-m)). The forecast is
    g⁻¹(base_h + data.correctionWeight · median_output_h · scale)   (scale: the window's unit, as above)
clamped at 0 when data.series[].nonNegative. Every transform rnncast can choose (--transform
none, log, diff, log-diff, seasonal-diff, log-seasonal-diff, and auto, which the file stores
resolved: a log flag per series and one baseline) and every --scale (the target's scale is 1
with --scale none, else a mean absolute change with a baseline and the --scale scaler without
one; features always use --scale) come down to these fields, so any of them is checked.

Series the model does not forecast with the network: when data.series[].method is a baseline
(naive, seasonal_naive, drift: the safety net chose it), or the series is shorter than
max(lookback, the baseline's reach) (seasonal naive then), the forecast is that baseline on the raw
values (src/backtest/baselines.ts, season data.season), clamped at 0 when nonNegative; a note on
stderr says so. A series the model never saw (--series ID of a panel, not in data.series) gets a
state fitted on its whole history, as rnncast does (stateFromHistory).

Panels (data.idColumn): --series ID picks the series (required when the CSV holds several).
Wide models (several target columns) are not supported. Times: ISO 8601 dates, months
(YYYY-MM), date-times with or without an offset, and epoch seconds or milliseconds, on the
clock data.timeStyle names (a fixed offset, or an IANA zone); rnncast's other time forms
(quarters, 'Jan 2020', --time-format) are refused.

Exit codes: 0 ok, 2 usage, 65 model or data that does not fit, 66 unreadable file.
From Python: check(MODEL, CSV, series_id, fill) returns (values, note or None, details) or raises
CheckError (compare_cli.py and the self-test use it, importing PyTorch once).
"""

import csv
import datetime
import json
import math
import re
import sys

import torch
import torch.nn as nn

MODEL_VERSIONS = (2, 4, 5)  # 3 (known-future covariates) is check_future.py's
SECOND, MINUTE, HOUR, DAY = 1000, 60_000, 3_600_000, 86_400_000
FILL_POLICIES = ("interpolate", "ffill", "zero", "drop", "error")


class CheckError(Exception):
    def __init__(self, message, code):
        super().__init__(message)
        self.code = code


# ---------------------------------------------------------------------------------------------
# The network


class Net(nn.Module):
    """The rnncast network: recurrent stack, Linear head on the last layer's final hidden state ‖ head inputs."""

    def __init__(self, cell, input_size, hidden, layers, bidirectional, horizon, head_inputs=0):
        super().__init__()
        rnn_class = {"lstm": nn.LSTM, "gru": nn.GRU}[cell]
        self.bidirectional = bidirectional
        self.rnn = rnn_class(input_size, hidden, num_layers=layers,
                             batch_first=True, bidirectional=bidirectional)
        directions = 2 if bidirectional else 1
        self.head = nn.Linear(directions * hidden + head_inputs, horizon)

    def forward(self, x, extra=None):
        _, state = self.rnn(x)
        h_n = state[0] if isinstance(state, tuple) else state  # (L*D, B, H)
        # Bidirectional: forward direction after the last step ‖ backward direction after the first.
        final = torch.cat([h_n[-2], h_n[-1]], dim=1) if self.bidirectional else h_n[-1]
        if extra is not None:
            final = torch.cat([final, extra], dim=1)
        return self.head(final)  # (B, horizon)


def require(obj, key, where):
    if not isinstance(obj, dict) or key not in obj:
        raise CheckError(f"model file: missing {where}{key}", 65)
    return obj[key]


def build_net(config, weights, where):
    """One ensemble member, its weights loaded strictly (every name and shape must match)."""
    cell = require(config, "cell", "config.")
    if cell not in ("lstm", "gru"):
        raise CheckError(f"model file: unknown cell '{cell}'", 65)
    net = Net(cell, len(require(config, "inputs", "config.")), int(require(config, "hiddenSize", "config.")),
              int(require(config, "numLayers", "config.")), bool(config.get("bidirectional", False)),
              int(require(config, "horizon", "config.")), len(config.get("headInputs") or [])).double()
    if not isinstance(weights, dict):
        raise CheckError(f"model file: {where} must be an object of named tensors", 65)
    state = {}
    for name, w in weights.items():
        shape, values = require(w, "shape", f"{where}.{name}."), require(w, "values", f"{where}.{name}.")
        if math.prod(shape) != len(values):
            raise CheckError(f"model file: {where}.{name} has {len(values)} values for shape {shape}", 65)
        state[name] = torch.tensor(values, dtype=torch.float64).reshape(shape)
    try:
        net.load_state_dict(state, strict=True)
    except RuntimeError as e:
        raise CheckError(f"model file: {where} do not fit the config: {' '.join(str(e).split())}", 65)
    return net.eval()


def build_members(model):
    config = model["config"]
    members = [model["weights"]] + list(model.get("ensembleWeights") or [])
    ensemble = config.get("ensemble", 1)
    if ensemble != len(members):
        raise CheckError(f"model file: config.ensemble is {ensemble} but the file holds {len(members)} member(s)", 65)
    return [build_net(config, w, "weights" if k == 0 else f"ensembleWeights[{k - 1}]")
            for k, w in enumerate(members)]


def median(values):
    """medianOf (src/forecast/predict.ts): the middle value, or the mean of the middle two."""
    s = sorted(values)
    mid = len(s) // 2
    return s[mid] if len(s) % 2 == 1 else (s[mid - 1] + s[mid]) / 2


# ---------------------------------------------------------------------------------------------
# Calendar arithmetic (src/data/calendar.ts), clocks (src/data/zone.ts), steps (src/data/time.ts)


def days_from_civil(year, month, day):
    y = year - 1 if month <= 2 else year
    era = y // 400
    yoe = y - era * 400
    mp = (month + 9) % 12
    doy = (153 * mp + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def civil_from_days(days):
    z = days + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = mp + 3 if mp < 10 else mp - 9
    return era * 400 + yoe + (1 if month <= 2 else 0), month, day


def is_leap(year):
    return (year % 4 == 0 and year % 100 != 0) or year % 400 == 0


def days_in_month(year, month):
    if month == 2:
        return 29 if is_leap(year) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def weekday(days):
    """0 = Monday ... 6 = Sunday (1970-01-01 was a Thursday)."""
    return (days + 3) % 7


def business_index(days):
    monday = days - weekday(days)
    return ((monday + 3) // 7) * 5 + min(weekday(days), 4)


def days_from_business_index(index):
    week = index // 5
    return week * 7 - 3 + (index - week * 5)


class FixedClock:
    zone = None

    def __init__(self, offset_minutes):
        self.offset = offset_minutes * MINUTE

    def to_local(self, instant):
        return instant + self.offset

    def from_local(self, local, later=False):
        return local - self.offset


class ZoneClock:
    """An IANA zone's clock; a wall-clock time in a gap moves forward by the gap, as rnncast's does."""

    def __init__(self, zone):
        import zoneinfo
        try:
            self.tz = zoneinfo.ZoneInfo(zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise CheckError(f"model file: data.timeStyle.zone '{zone}' is not a time zone Python knows", 65)
        self.zone = zone

    def offset_at(self, instant):
        when = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc) + datetime.timedelta(milliseconds=instant)
        return int(when.astimezone(self.tz).utcoffset() / datetime.timedelta(milliseconds=1))

    def to_local(self, instant):
        return instant + self.offset_at(instant)

    def from_local(self, local, later=False):
        wall = datetime.datetime(1970, 1, 1) + datetime.timedelta(milliseconds=local)
        # fold=0 takes the offset before a change: a repeated time's earlier instant, and a time in
        # a gap read with the old offset, i.e. moved forward by the gap.
        offset = wall.replace(tzinfo=self.tz, fold=1 if later else 0).utcoffset()
        return local - int(offset / datetime.timedelta(milliseconds=1))


def clock_of(style):
    zone = style.get("zone") if isinstance(style, dict) else None
    if zone:
        return ZoneClock(zone)
    return FixedClock((style or {}).get("offsetMinutes") or 0)


UNIT_CODES = {
    "s": "second", "S": "second", "sec": "second", "min": "minute", "T": "minute", "H": "hour", "h": "hour",
    "D": "day", "d": "day", "B": "business-day", "W": "week", "w": "week",
    "M": "month", "MS": "month", "ME": "month", "Q": "quarter", "QS": "quarter", "QE": "quarter",
    "Y": "year", "YS": "year", "YE": "year", "A": "year", "AS": "year", "AE": "year",
}
FIXED_MS = {"second": SECOND, "minute": MINUTE, "hour": HOUR, "day": DAY, "week": 7 * DAY}


class Freq:
    def __init__(self, code):
        match = re.fullmatch(r"\s*(\d+)?\s*([A-Za-z]+)\s*", code or "")
        if not match or match.group(2) not in UNIT_CODES:
            raise CheckError(f"model file: data.freq '{code}' is not a frequency", 65)
        self.code = code
        self.unit = UNIT_CODES[match.group(2)]
        self.step = int(match.group(1) or 1)
        letters = match.group(2)
        self.anchor = "start" if letters.endswith("S") and len(letters) == 2 else \
            "end" if letters.endswith("E") and len(letters) == 2 else None

    def fixed_ms(self, clock):
        if clock.zone is not None and self.unit in ("day", "week"):
            return None
        unit = FIXED_MS.get(self.unit)
        return None if unit is None else unit * self.step

    def months_per_step(self):
        return {"month": 1, "quarter": 3, "year": 12}[self.unit] * self.step


def add_steps(time, freq, steps, clock):
    """addSteps (src/data/time.ts)."""
    fixed = freq.fixed_ms(clock)
    if fixed is not None:
        return time + steps * fixed
    local = clock.to_local(time)
    days = local // DAY
    time_of_day = local - days * DAY
    if freq.unit in ("day", "week"):
        return clock.from_local(local + steps * freq.step * (7 if freq.unit == "week" else 1) * DAY)
    if freq.unit == "business-day":
        target = days_from_business_index(business_index(days) + steps * freq.step)
        return clock.from_local(target * DAY + time_of_day)
    year, month, day = civil_from_days(days)
    months = year * 12 + month - 1 + steps * freq.months_per_step()
    new_year = months // 12
    new_month = months - new_year * 12 + 1
    last = days_in_month(new_year, new_month)
    new_day = 1 if freq.anchor == "start" else last if freq.anchor == "end" else min(day, last)
    return clock.from_local(days_from_civil(new_year, new_month, new_day) * DAY + time_of_day)


def grid_position(first, t, freq, clock):
    """Steps of freq from `first` to `t` (gridPositions / stepsBetween), or None off the grid."""
    fixed = freq.fixed_ms(clock)
    if fixed is not None:
        steps, rest = divmod(t - first, fixed)
        return steps if rest == 0 else None
    a, b = clock.to_local(first) // DAY, clock.to_local(t) // DAY
    if freq.unit in ("day", "week"):
        span = freq.step * (7 if freq.unit == "week" else 1)
        steps, rest = divmod(b - a, span)
    elif freq.unit == "business-day":
        if weekday(b) >= 5:
            return None
        steps, rest = divmod(business_index(b) - business_index(a), freq.step)
    else:
        ya, ma, _ = civil_from_days(a)
        yb, mb, _ = civil_from_days(b)
        steps, rest = divmod((yb * 12 + mb) - (ya * 12 + ma), freq.months_per_step())
    if rest != 0 or add_steps(first, freq, steps, clock) != t:
        return None
    return steps


def cycle_phase(time, cycle, clock):
    """cyclePhase (src/data/calendar-inputs.ts): where `time` falls in a cycle, in [0, 1), on the wall clock."""
    local = clock.to_local(time)
    days = local // DAY
    if cycle == "day":
        return (local - days * DAY) / DAY
    if cycle == "week":
        return (weekday(days) + (local - days * DAY) / DAY) / 7
    year, _, _ = civil_from_days(days)
    return (days - days_from_civil(year, 1, 1)) / (366 if is_leap(year) else 365)


def calendar_row(time, cycles, clock):
    row = []
    for cycle in cycles:
        angle = 2 * math.pi * cycle_phase(time, cycle, clock)
        row += [math.sin(angle), math.cos(angle)]
    return row


# ---------------------------------------------------------------------------------------------
# Reading the CSV as rnncast does (src/data/load.ts, time-parse.ts, number-parse.ts, clean.ts)

ISO = re.compile(r"(\d{4})-(\d{2})(?:-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?"
                 r"(Z|z|[+-]\d{2}(?::?\d{2})?)?)?)?")
NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def parse_iso(text):
    """(written wall-clock ms, offset minutes or None) of an ISO 8601 month, date or date-time; None otherwise."""
    m = ISO.fullmatch(text.strip(" \t"))
    if not m:
        return None
    year, month = int(m.group(1)), int(m.group(2))
    day = int(m.group(3) or 1)
    if not 1 <= month <= 12 or not 1 <= day <= days_in_month(year, month):
        return None
    hour, minute, sec = int(m.group(4) or 0), int(m.group(5) or 0), int(m.group(6) or 0)
    if hour > 23 or minute > 59 or sec > 59:
        return None
    millis = int((m.group(7) or "").ljust(3, "0")[:3] or 0)
    offset = None
    zone = m.group(8)
    if zone in ("Z", "z"):
        offset = 0
    elif zone:
        sign = -1 if zone[0] == "-" else 1
        digits = zone[1:].replace(":", "")
        offset = sign * (int(digits[:2]) * 60 + int(digits[2:] or 0))
    local = days_from_civil(year, month, day) * DAY + hour * HOUR + minute * MINUTE + sec * SECOND + millis
    return local, offset


def parse_number(text):
    """A numeric cell: a float, NaN when missing; true/yes and false/no are 1 and 0. None: not a number."""
    word = text.strip(" \t")
    lower = word.lower()
    if word == "" or lower in ("na", "nan", "null", "n/a"):
        return math.nan
    if lower in ("true", "yes"):
        return 1.0
    if lower in ("false", "no"):
        return 0.0
    if not NUMBER.fullmatch(word):
        return None
    value = float(word)
    return value if math.isfinite(value) else None


def sniff_delimiter(header):
    counts = {d: header.count(d) for d in (",", ";", "\t", "|")}
    return max(counts, key=counts.get)


def fill_array(values, times, policy):
    """fillArray (src/data/clean.ts), in place: linear in time (interpolate) or carried forward; ends take the nearest value."""
    n = len(values)
    if policy == "zero":
        for i in range(n):
            if math.isnan(values[i]):
                values[i] = 0.0
        return
    previous = -1
    for i in range(n):
        if math.isnan(values[i]):
            continue
        for j in range(0 if previous < 0 else previous + 1, i):
            if previous < 0 or policy == "ffill":
                values[j] = values[i] if previous < 0 else values[previous]
            else:
                share = (times[j] - times[previous]) / (times[i] - times[previous])
                values[j] = values[previous] + share * (values[i] - values[previous])
        previous = i
    if previous >= 0:
        for j in range(previous + 1, n):
            values[j] = values[previous]


class SeriesData:
    def __init__(self, sid, times, values, features):
        self.id, self.times, self.values, self.features = sid, times, values, features


def read_series(path, model, series_id, fill):
    """The series to forecast, as rnncast's loadDataset leaves it: (SeriesData, ids in the file, clock, freq)."""
    data = model["data"]
    style = data.get("timeStyle") or {}
    clock = clock_of(style)
    freq = Freq(data.get("freq"))
    time_column, target, features = data["timeColumn"], data["target"], list(data.get("features") or [])
    id_column = data.get("idColumn")
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            text = f.read()
    except OSError as e:
        raise CheckError(f"{path}: cannot read: {e.strerror}", 66)
    lines = text.splitlines()
    if not lines:
        raise CheckError(f"{path}: empty file", 65)
    rows = list(csv.reader(lines, delimiter=sniff_delimiter(lines[0])))
    header = [h.strip() for h in rows[0]]
    body = [(n, r) for n, r in enumerate(rows[1:], start=2) if any(c.strip() for c in r)]
    needed = [time_column, target] + features + ([id_column] if id_column else [])
    missing = [c for c in needed if c not in header]
    if missing:
        raise CheckError(f"{path}: missing column(s) {', '.join(missing)} (header: {', '.join(header)})", 65)
    cell = lambda r, name: r[header.index(name)] if header.index(name) < len(r) else ""
    ids = list(dict.fromkeys(cell(r, id_column).strip() for _, r in body)) if id_column else [""]
    if series_id is None:
        if len(ids) != 1:
            raise CheckError(f"{path}: {len(ids)} series in '{id_column}'; pick one with --series ID", 2)
        series_id = ids[0]
    elif id_column is None:
        if series_id != "":
            raise CheckError(f"{path}: a single-series file (the model has no id column): no series '{series_id}'", 65)
    elif series_id not in ids:
        raise CheckError(f"{path}: no rows for series '{series_id}'", 65)

    kind = style.get("kind", "date")
    if kind not in ("date", "datetime", "month", "epoch-seconds", "epoch-millis"):
        raise CheckError(f"model file: data.timeStyle.kind '{kind}': only ISO 8601 and epoch times are read here", 65)

    # Times of every row: the month anchor is read from all of them, as inferFrequency does.
    points = []  # (instant, line, series id, row)
    naive_on_zone = []  # (index in points, written wall-clock ms): naive date-times on a zone's clock
    for line, r in body:
        raw = cell(r, time_column)
        sid = cell(r, id_column).strip() if id_column else ""
        if kind.startswith("epoch"):
            value = parse_number(raw)
            if value is None or math.isnan(value):
                raise CheckError(f"{path}: line {line}: '{raw}' is not an epoch time", 65)
            instant = round(value * 1000) if kind == "epoch-seconds" else (int(value) if value == int(value) else value)
        else:
            parsed = parse_iso(raw)
            if parsed is None:
                raise CheckError(f"{path}: line {line}: '{raw}' is not an ISO 8601 time", 65)
            local, offset = parsed
            if offset is not None:
                instant = local - offset * MINUTE
            elif clock.zone is not None and kind == "datetime":
                instant = clock.from_local(local)
                naive_on_zone.append((len(points), local))
            else:
                instant = local  # naive times and dates without a zone stay on UTC, as written
        points.append((instant, line, sid, r))
    # A repeated wall-clock hour (clocks set back) is read in each series' file order: the second
    # sighting is the later instant (localTimes in src/data/instants.ts).
    by_series = {}
    for index, local in naive_on_zone:
        by_series.setdefault(points[index][2], []).append((index, local))
    for group in by_series.values():
        ascending = group[-1][1] >= group[0][1]
        previous = math.nan
        for index, local in group:
            earlier, later = clock.from_local(local), clock.from_local(local, later=True)
            time = earlier
            if earlier != later:
                if ascending:
                    time = later if earlier <= previous < later else earlier
                else:
                    time = earlier if later >= previous > earlier else later
            points[index] = (time,) + points[index][1:]
            previous = time
    if freq.unit in ("month", "quarter", "year") and freq.anchor is None:
        civil = [civil_from_days(clock.to_local(p[0]) // DAY) for p in points]
        if all(d == 1 for _, _, d in civil):
            freq.anchor = "start"
        elif all(d == days_in_month(y, m) for y, m, d in civil):
            freq.anchor = "end"

    mine = sorted((p for p in points if p[2] == series_id), key=lambda p: p[0])
    for a, b in zip(mine, mine[1:]):
        if a[0] == b[0]:
            raise CheckError(f"{path}: line {b[1]}: duplicate time (also on line {a[1]})", 65)
    times = [p[0] for p in mine]
    columns = [target] + features
    arrays = []
    for name in columns:
        values = []
        for _, line, _, r in mine:
            v = parse_number(cell(r, name))
            if v is None:
                raise CheckError(f"{path}: line {line}, column '{name}': not a number: '{cell(r, name)}'", 65)
            values.append(v)
        if all(math.isnan(v) for v in values) and not (fill == "zero" and name != target):
            raise CheckError(f"{path}: column '{name}' has no values for series '{series_id}'", 65)
        arrays.append(values)

    # The data ends at the last target value: rows after it are never filled (src/data/future.ts).
    last = max((i for i, v in enumerate(arrays[0]) if not math.isnan(v)), default=len(times) - 1)
    mine, times, arrays = mine[: last + 1], times[: last + 1], [a[: last + 1] for a in arrays]

    positions = [0]
    for i in range(1, len(times)):
        p = grid_position(times[0], times[i], freq, clock)
        if p is None:
            raise CheckError(f"{path}: line {mine[i][1]}: time not on the {freq.code} grid", 65)
        positions.append(p)
    length = positions[-1] + 1 if times else 0
    has_missing = any(math.isnan(v) for a in arrays for v in a)
    if length != len(times) or has_missing:
        if fill == "error":
            raise CheckError(f"{path}: missing values or timestamps (--fill error)", 65)
        if fill == "drop":
            keep = [i for i in range(len(times)) if not any(math.isnan(a[i]) for a in arrays)]
            times = [times[i] for i in keep]
            arrays = [[a[i] for i in keep] for a in arrays]
        else:
            grid = [add_steps(times[0], freq, j, clock) for j in range(length)]
            filled = [[math.nan] * length for _ in arrays]
            for i, j in enumerate(positions):
                grid[j] = times[i]
                for k, a in enumerate(arrays):
                    filled[k][j] = a[i]
            for a in filled:
                fill_array(a, grid, fill)
            times, arrays = grid, filled
    return SeriesData(series_id, times, arrays[0], arrays[1:]), ids, clock, freq


# ---------------------------------------------------------------------------------------------
# The pipeline (src/data/prepare.ts, baseline.ts, scale.ts, transform.ts; src/forecast/predict.ts)


SEASONAL_KINDS = ("seasonal", "two-season")


def baseline_reach(kind, season):
    return {"none": 0, "naive": 1, "drift": 2, "seasonal": season, "two-season": 2 * season}[kind]


def base_forecast(kind, season, v, origin, step, center):
    """baseForecast (src/data/baseline.ts), in the transformed space."""
    last = v[origin - 1]
    if kind == "none":
        return center
    if kind == "naive":
        return last
    if kind == "drift":
        return last + ((step + 1) * (last - v[0])) / (origin - 1) if origin > 1 else last
    if kind == "two-season":
        # The last two seasons' pattern averaged, at the last season's level.
        m, j = season, step % season
        level_change = sum(v[origin - k] - v[origin - m - k] for k in range(1, m + 1))
        return 0.5 * (v[origin - m + j] + v[origin - 2 * m + j]) + 0.5 * level_change / m
    return v[origin - season + (step % season)]


def g(y, log):
    """valueTransform: Math.log (−inf at 0, NaN below) or the value."""
    if not log:
        return y
    return math.log(y) if y > 0 else (-math.inf if y == 0 else math.nan)


def fit_scaler(kind, values):
    """fitScaler (src/data/scale.ts) on the whole of `values`: (center, scale)."""
    if kind == "none":
        return 0.0, 1.0
    n = len(values)
    if kind == "standard":
        mean = sum(values) / n
        std = math.sqrt(sum((x - mean) ** 2 for x in values) / n)
        return mean, std if std > 1e-12 * (abs(mean) + 1) else 1.0
    lo, hi = min(values), max(values)
    return lo, (hi - lo) if hi - lo > 1e-12 * (abs(lo) + 1) else 1.0


def mean_abs_change(v, lag):
    end = len(v)
    return sum(abs(v[t] - v[t - lag]) for t in range(lag, end)) / (end - lag) if end > lag else 0.0


def state_from_history(model, series):
    """stateFromHistory (src/forecast/predict.ts): a series the model never saw, fitted on its whole history."""
    data, scale_kind = model["data"], model["config"]["scale"]
    log = any(s.get("log") for s in data["series"]) and all(y > 0 for y in series.values)
    v = [g(y, log) for y in series.values]
    kind, season = data["baseline"], int(data["baseSeason"])
    if scale_kind == "none":
        center, scale = 0.0, 1.0
    elif kind == "none":
        center, scale = fit_scaler(scale_kind, v)
    else:
        lag = season if kind in SEASONAL_KINDS else 1
        candidates = [mean_abs_change(v, lag), mean_abs_change(v, 1), fit_scaler("standard", v)[1]]
        level = abs(v[-1]) + 1
        center, scale = 0.0, next((c for c in candidates if c > 1e-9 * level), 1.0)
    return {"id": series.id, "log": log, "center": center, "scale": scale,
            "features": [fit_scaler(scale_kind, f) for f in series.features],
            "nonNegative": all(y >= 0 for y in series.values), "method": "model"}


def stored_state(entry, features):
    scaler = entry.get("scaler") or {}
    pairs = scaler.get("inputs") or []
    if len(pairs) != len(features):
        raise CheckError(f"model file: data.series '{entry.get('id')}': scaler.inputs must have one entry per feature", 65)
    return {"id": entry["id"], "log": bool(entry["log"]), "center": float(entry["center"]), "scale": float(entry["scale"]),
            "features": [(float(p["center"]), float(p["scale"])) for p in pairs],
            "nonNegative": bool(entry["nonNegative"]), "method": entry.get("method", "model")}


def input_names(data):
    """inputNames (src/data/prepare.ts)."""
    target, kind, season = data["target"], data["baseline"], int(data["baseSeason"])
    names = [f"{target}:level", f"{target}:change"]
    if kind in SEASONAL_KINDS and season > 1:
        names.append(f"{target}:seasonal-change")
    names += list(data.get("features") or [])
    for cycle in data.get("calendar") or []:
        names += [f"calendar:{cycle}:sin", f"calendar:{cycle}:cos"]
    return names


def head_input_names(data, horizon):
    if not data.get("headCalendar"):
        return []
    names = [f"calendar:{c}:{w}" for c in data.get("calendar") or [] for w in ("sin", "cos")]
    return [f"{name}@{h + 1}" for h in range(horizon) for name in names]


def baseline_method_forecast(method, y, horizon, season):
    """baselineForecast (src/backtest/baselines.ts) on the raw values."""
    n = len(y)
    if method == "naive":
        return [y[-1]] * horizon
    if method == "seasonal_naive":
        m = 1 if n < max(season, 1) else max(season, 1)
        return [y[n - m + (h % m)] for h in range(horizon)]
    if method == "drift":
        slope = 0.0 if n == 1 else (y[-1] - y[0]) / (n - 1)
        return [y[-1] + (h + 1) * slope for h in range(horizon)]
    raise CheckError(f"model file: unknown method '{method}'", 65)


def window_unit(v, state, data, lookback, origin):
    """windowUnit (src/data/prepare.ts): the series' unit, or with data.windowScale the larger of it and the window's own."""
    kind, m = data["baseline"], int(data["baseSeason"])
    if not data.get("windowScale") or kind == "none":
        return state["scale"]
    lag = m if kind in SEASONAL_KINDS else 1
    changes = [abs(v[t] - v[t - lag]) for t in range(max(origin - lookback, lag), origin)]
    changes = [c for c in changes if math.isfinite(c)]
    return state["scale"] if not changes else max(state["scale"], sum(changes) / len(changes))


def network_window(series, state, data, lookback, clock):
    """gatherBatch's window for the origin just past the end: (v, (lookback, inputs) in float64, the window's unit)."""
    kind, m = data["baseline"], int(data["baseSeason"])
    seasonal = kind in SEASONAL_KINDS and m > 1
    cycles = data.get("calendar") or []
    v = [g(y, state["log"]) for y in series.values]
    n = len(v)
    origin = n
    scale = window_unit(v, state, data, lookback, origin)
    level = state["center"] if kind == "none" else v[max(origin - lookback, 0)]
    rows = []
    for t in range(origin - lookback, origin):
        p = max(t, 0)  # left-padded with the first value when the series is shorter than the lookback
        row = [(v[p] - level) / scale, (v[p] - v[p - 1]) / scale if p >= 1 and t >= 1 else 0.0]
        if seasonal:
            row.append((v[p] - v[p - m]) / scale if p >= m else 0.0)
        row += [(f[p] - c) / s for f, (c, s) in zip(series.features, state["features"])]
        row += calendar_row(series.times[p], cycles, clock)
        rows.append(row)
    return v, rows, scale


def forecast(model, series, clock, freq, nets):
    """One series' forecast: (horizon values in data units, a note or None, details).

    details: {'method'}, and when the network forecasts, also 'outputs' (the members' median before
    the correction weight), 'base' (the baseline in the transformed space), 'scale' and 'log'.
    """
    config, data = model["config"], model["data"]
    lookback, horizon = int(config["lookback"]), int(config["horizon"])
    kind, m = data["baseline"], int(data["baseSeason"])
    stored = {s["id"]: s for s in data["series"]}
    entry = stored.get(series.id)
    state = stored_state(entry, data.get("features") or []) if entry is not None else state_from_history(model, series)
    method, note = state["method"], None
    if entry is None:
        note = f"series '{series.id}' is not in the model: its state is fitted on its own history"
    if len(series.values) == 0:
        raise CheckError("the series has no points to forecast from", 65)
    members = [(b["kind"], int(b["season"])) for b in data.get("memberBaselines") or [{"kind": kind, "season": m}]]
    reach = max(baseline_reach(k, s) for k, s in members)
    if method == "model" and len(series.values) < max(reach, lookback):
        method = "seasonal_naive"
        note = f"the series has {len(series.values)} points, fewer than the lookback needs: seasonal naive"
    if method != "model":
        note = note or f"the model file forecasts this series by its baseline '{method}' (data.series[].method), not the network"
        values = baseline_method_forecast(method, series.values, horizon, int(data["season"]))
        return [0.0 if state["nonNegative"] and x < 0 else x for x in values], note, {"method": method}

    for t in range(max(0, len(series.values) - lookback - reach), len(series.values)):
        y = series.values[t]
        if not math.isfinite(y) or (state["log"] and y <= 0):
            raise CheckError(f"target value {y} at point {t + 1} cannot be {'log-' if state['log'] else ''}transformed", 65)
    v, window, unit = network_window(series, state, data, lookback, clock)
    x = torch.tensor([window], dtype=torch.float64)  # (1, lookback, inputs)
    extra = None
    if config.get("headInputs"):
        cycles = data.get("calendar") or []
        last = series.times[-1]
        extra = torch.tensor([[c for h in range(horizon) for c in calendar_row(add_steps(last, freq, h + 1, clock), cycles, clock)]],
                             dtype=torch.float64)  # (1, E)
    with torch.no_grad():
        outputs = [net(x, extra)[0].tolist() for net in nets]  # K × (horizon,)
    weight = float(data["correctionWeight"])
    bases = [base_forecast(kind, m, v, len(v), h, state["center"]) for h in range(horizon)]
    medians = [median([member[h] for member in outputs]) for h in range(horizon)]
    # Member k corrects memberBaselines[k mod n]: the ensemble forecasts the mean of the members'
    # baselines (kept whole) plus the weighted median of their corrections.
    owns = [members[k % len(members)] for k in range(len(outputs))]
    means = [sum(base_forecast(k, s, v, len(v), h, state["center"]) for k, s in owns) / len(owns) for h in range(horizon)]
    result = []
    for h in range(horizon):
        value = means[h] + medians[h] * weight * unit
        value = math.exp(value) if state["log"] else value
        result.append(0.0 if state["nonNegative"] and value < 0 else value)
    return result, note, {"method": "model", "outputs": medians, "base": means, "scale": unit, "log": state["log"]}


def read_model(path):
    try:
        with open(path, encoding="utf-8-sig") as f:
            model = json.load(f)
    except OSError as e:
        raise CheckError(f"{path}: cannot read: {e.strerror}", 66)
    except json.JSONDecodeError as e:
        raise CheckError(f"{path}: not JSON: {e}", 65)
    if not isinstance(model, dict) or model.get("format") != "rnncast-model":
        raise CheckError(f"{path}: not an rnncast model file", 65)
    if model.get("version") not in MODEL_VERSIONS:
        raise CheckError(f"{path}: model file version {model.get('version')}; this script reads versions {MODEL_VERSIONS}", 65)
    config, data = require(model, "config", ""), require(model, "data", "")
    for key in ("lookback", "horizon", "inputs", "scale"):
        require(config, key, "config.")
    for key in ("timeColumn", "target", "freq", "season", "baseline", "baseSeason", "correctionWeight", "series"):
        require(data, key, "data.")
    if data.get("wide"):
        raise CheckError(f"{path}: a wide model (several target columns) is not supported here", 65)
    if data["baseline"] not in ("none", "naive", "drift", *SEASONAL_KINDS):
        raise CheckError(f"{path}: unknown data.baseline '{data['baseline']}'", 65)
    derived = input_names(data)
    if config["inputs"] != derived:
        raise CheckError(f"{path}: config.inputs {config['inputs']} are not the inputs this script derives: {derived}", 65)
    heads = head_input_names(data, int(config["horizon"]))
    if list(config.get("headInputs") or []) != heads:
        raise CheckError(f"{path}: config.headInputs are not the head inputs this script derives ({len(heads)})", 65)
    return model


def check(model_path, csv_path, series_id=None, fill="interpolate"):
    """The forecast of one series: (horizon values in data units, a note or None, details). Raises CheckError."""
    if fill not in FILL_POLICIES:
        raise CheckError(f"--fill {fill}: expected one of {', '.join(FILL_POLICIES)}", 2)
    model = read_model(model_path)
    nets = build_members(model)
    series, _, clock, freq = read_series(csv_path, model, series_id, fill)
    return forecast(model, series, clock, freq, nets)


def main(argv):
    args, series_id, fill = [], None, "interpolate"
    i = 0
    while i < len(argv):
        if argv[i] in ("--series", "--fill") and i + 1 < len(argv):
            if argv[i] == "--series":
                series_id = argv[i + 1]
            else:
                fill = argv[i + 1]
            i += 2
        elif argv[i].startswith("--series="):
            series_id = argv[i].split("=", 1)[1]
            i += 1
        elif argv[i].startswith("--fill="):
            fill = argv[i].split("=", 1)[1]
            i += 1
        else:
            args.append(argv[i])
            i += 1
    if len(args) != 2:
        raise CheckError("usage: check_forecast.py MODEL.json INPUT.csv [--series ID] [--fill POLICY]", 2)
    values, note, _ = check(args[0], args[1], series_id, fill)
    if note is not None:
        print(f"check_forecast: note: {note}", file=sys.stderr)
    sys.stdout.write("".join(f"{v!r}\n" for v in values))
    return 0


if __name__ == "__main__":
    torch.set_default_dtype(torch.float64)
    try:
        sys.exit(main(sys.argv[1:]))
    except CheckError as e:
        print(f"check_forecast: {e}", file=sys.stderr)
        sys.exit(e.code)
