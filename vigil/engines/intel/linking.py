"""Linking an extract: which subject records are one person, which vehicle records one vehicle.

Four Splink passes over one Fellegi-Sunter model (``model.py``):

1. vehicles, on the plate (exact, under reader confusions, partial) and the description;
2. people, on names, date of birth, height and description, with "arrived in the same car";
3. people again, now also with co-offending (shares incidents with the same other people, as
   pass 2 grouped them);
4. vehicles again, with "used by the same person".

Clusters are built from the scored pairs above the threshold, strongest first, and never
join two records of one incident, a pair an investigator rejected, or records that
contradict each other; confirmed pairs are joined first whatever their score. A pair with
only a common name in common is not used at all (``_person_corroborated``).
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from vigil.engines.intel.contract import Extract, parse_date
from vigil.engines.intel.decisions import Decisions
from vigil.engines.intel.model import people_settings, vehicle_settings
from vigil.engines.intel.names import (
    clean_name,
    clean_plate,
    first_name_share,
    name_forms,
    plate_key,
    surname_share,
)

logger = logging.getLogger(__name__)

DEFAULT_MIN_PROBABILITY = 0.9
# Levels that corroborate a name (see _person_corroborated), and the weight of names alone
# that is enough by itself: about a one-in-65,000 name, like "Dana Oyelaran", not "Jennifer
# Brown" (census shares 0.55 % and 0.62 %: 12.9).
DOB_AGREES = frozenset({"exact", "day_month_swapped", "year_slip"})
CREW_AGREES = frozenset({"co_offender_and_vehicle", "co_offender", "vehicle"})
PLATE_AGREES = frozenset({"exact", "reader_confusion", "partial", "one_character"})
RARE_NAME_WEIGHT = 14.0
# A plate read this long is taken as whole: two whole plates that differ by more than one
# character (after folding reader confusions) are two vehicles.
FULL_PLATE = 6
# Each record is expected to match about two others: the prior that two records picked at
# random are one person is then about 2 / records, so a bigger extract asks for more evidence.
EXPECTED_MATCHES_PER_RECORD = 2.0


@dataclass
class Link:
    """One scored pair of records that joined a cluster."""

    a: str
    b: str
    probability: float
    weight: float
    levels: dict[str, tuple[str, float]]  # comparison -> (level label, match weight)
    worded: list[str] | None = None  # its reasons in words, once worded


@dataclass
class Clusters:
    """Records grouped into entities, with the links that joined each group."""

    of: dict[str, str] = field(default_factory=dict)  # record id -> root record id
    incident_of: dict[str, str] = field(default_factory=dict)  # record id -> incident id
    links: dict[str, list[Link]] = field(default_factory=dict)  # root -> links

    def groups(self) -> dict[str, list[str]]:
        grouped: dict[str, list[str]] = {}
        for record, root in self.of.items():
            grouped.setdefault(root, []).append(record)
        return {root: sorted(records) for root, records in grouped.items()}


class Backend:
    """Where Splink runs: DuckDB in process, or Spark in local mode."""

    dialect = "duckdb"

    def api(self) -> Any:
        import duckdb
        from splink import DuckDBAPI

        # No progress bars: the engine is a library as much as a command.
        connection = duckdb.connect()
        connection.execute("SET enable_progress_bar = false")
        return DuckDBAPI(connection=connection)

    def register(self, api: Any, frame: pd.DataFrame, name: str) -> Any:
        return api.register(frame, table_name=name)


class SparkBackend(Backend):
    dialect = "spark"

    def __init__(self) -> None:
        from pyspark.sql import SparkSession
        from splink.backends.spark import similarity_jar_location

        # Splink's jar gives Spark the string similarities (Jaro-Winkler, Damerau-Levenshtein)
        # that DuckDB has built in; it ships inside the splink package.
        self.spark = (
            SparkSession.builder.master("local[2]")
            .appName("vigil-intel")
            .config("spark.jars", similarity_jar_location())
            .config("spark.sql.shuffle.partitions", "4")
            .config("spark.ui.enabled", "false")
            .getOrCreate()
        )
        self.tables = 0
        # Splink checkpoints intermediate tables; a private folder per run, under the temp dir.
        self.spark.sparkContext.setCheckpointDir(tempfile.mkdtemp(prefix="vigil-intel-spark-"))

    def api(self) -> Any:
        from splink import SparkAPI

        return SparkAPI(spark_session=self.spark)  # type: ignore[no-untyped-call]

    def register(self, api: Any, frame: pd.DataFrame, name: str) -> Any:
        # One session serves every pass, and a registered name cannot be reused.
        self.tables += 1
        return api.register(self.spark.createDataFrame(frame), table_name=f"{name}_{self.tables}")


def backend_for(engine: str) -> Backend:
    if engine == "duckdb":
        return Backend()
    if engine == "spark":
        return SparkBackend()
    raise ValueError(f"unknown engine {engine!r}: use duckdb or spark")


def link_records(
    extract: Extract, backend: Backend, min_probability: float, decisions: Decisions
) -> tuple[Clusters, Clusters]:
    """People clusters and vehicle clusters of the extract."""
    subjects = _subject_frame(extract, decisions)
    vehicles = _vehicle_frame(extract, decisions)
    vehicle_clusters = _vehicle_pass(backend, vehicles, None, min_probability, decisions)
    people_clusters = _people_pass(backend, subjects, vehicle_clusters, None, min_probability,
                                   decisions)  # fmt: skip
    people_clusters = _people_pass(
        backend, subjects, vehicle_clusters, people_clusters, min_probability, decisions
    )
    vehicle_clusters = _vehicle_pass(backend, vehicles, people_clusters, min_probability,
                                     decisions)  # fmt: skip
    return people_clusters, vehicle_clusters


def _blank(value: str) -> str | None:
    return value or None


SUBJECT_COLUMNS = ["unique_id", "incident_id", "first", "last", "first_forms", "last_forms",
                   "last_sorted", "dob", "dob_swapped", "height", "alias_keys", "marks", "hair",
                   "build"]  # fmt: skip


def _subject_frame(extract: Extract, decisions: Decisions) -> pd.DataFrame:
    rows = []
    for row in extract.subjects:
        first = "" if decisions.ignores("first_name", row["first_name"]) else row["first_name"]
        last = "" if decisions.ignores("last_name", row["last_name"]) else row["last_name"]
        first, last = clean_name(first), clean_name(last)
        born = parse_date(row["date_of_birth"]) if row["date_of_birth"] else None
        swapped = None
        if born is not None and born.day <= 12:
            swapped = f"{born.year:04d}-{born.day:02d}-{born.month:02d}"
        rows.append({
            "unique_id": row["subject_record_id"],
            "incident_id": row["incident_id"],
            "first": _blank(first),
            "last": _blank(last),
            "first_forms": list(name_forms(first)) if first else [],
            "last_forms": list(name_forms(last)) if last else [],
            "last_sorted": "".join(sorted(last)) or None,
            "dob": born.isoformat() if born else None,
            "dob_swapped": swapped,
            "height": int(row["height_cm"]) if row["height_cm"] else None,
            "alias_keys": _aliases(row["aliases"]),
            "marks": _blank(row["marks"].strip().lower()),
            "hair": _blank(row["hair"].strip().lower()),
            "build": _blank(row["build"].strip().lower()),
        })  # fmt: skip
    frame = pd.DataFrame(rows, columns=SUBJECT_COLUMNS)
    frame["size_aliases"] = [len(keys) for keys in frame["alias_keys"]]
    frame["height"] = frame["height"].astype("Int64")
    return frame


def _aliases(text: str) -> list[str]:
    return sorted({clean_name(alias) for alias in text.split(";") if clean_name(alias)})


def _vehicle_frame(extract: Extract, decisions: Decisions) -> pd.DataFrame:
    rows = []
    for row in extract.vehicles:
        plate = "" if decisions.ignores("plate", row["plate"]) else clean_plate(row["plate"])
        rows.append({
            "unique_id": row["vehicle_record_id"],
            "incident_id": row["incident_id"],
            "plate": _blank(plate),
            "plate_key": _blank(plate_key(plate)),
            "plate_region": _blank(row["plate_region"].upper()),
            "make": _blank(row["make"].lower()),
            "model": _blank(row["model"].lower()),
            "colour": _blank(row["colour"].lower()),
        })  # fmt: skip
    columns = ["unique_id", "incident_id", "plate", "plate_key", "plate_region", "make", "model"]
    return pd.DataFrame(rows, columns=[*columns, "colour"])


def _by_incident(clusters: Clusters) -> dict[str, list[str]]:
    """The clusters present at each incident."""
    at: dict[str, list[str]] = {}
    for record, incident in clusters.incident_of.items():
        at.setdefault(incident, []).append(clusters.of[record])
    return at


def _with_keys(frame: pd.DataFrame, name: str, keys: list[list[str]]) -> None:
    frame[f"{name}_keys"] = [sorted(set(k)) for k in keys]
    frame[f"size_{name}"] = [len(set(k)) for k in keys]
    frame[f"{name}_key"] = [min(k) if k else None for k in keys]


def _people_pass(
    backend: Backend,
    subjects: pd.DataFrame,
    vehicles: Clusters,
    people: Clusters | None,
    min_probability: float,
    decisions: Decisions,
) -> Clusters:
    frame = subjects.copy()
    cars = _by_incident(vehicles)
    _with_keys(frame, "car", [cars.get(i, []) for i in frame["incident_id"]])
    if people is None:
        _with_keys(frame, "co", [[] for _ in range(len(frame))])
    else:
        at = _by_incident(people)
        own = [people.of[r] for r in frame["unique_id"]]
        pairs = zip(frame["incident_id"], own, strict=True)
        _with_keys(frame, "co", [[p for p in at[i] if p != mine] for i, mine in pairs])
    frame = frame.drop(columns=["co_key"])
    tf = {
        "last": _term_frequencies(frame["last"], _name_share),
        "first": _term_frequencies(frame["first"], _name_share),
    }
    settings = people_settings(backend.dialect, _prior(len(frame)))
    links = _predict(backend, frame, settings, tf, min_probability)
    return _cluster(frame, [link for link in links if _person_corroborated(link)], decisions)


def _vehicle_pass(
    backend: Backend,
    vehicles: pd.DataFrame,
    people: Clusters | None,
    min_probability: float,
    decisions: Decisions,
) -> Clusters:
    frame = vehicles.copy()
    if people is None:
        _with_keys(frame, "people", [[] for _ in range(len(frame))])
    else:
        at = _by_incident(people)
        _with_keys(frame, "people", [at.get(i, []) for i in frame["incident_id"]])
    settings = vehicle_settings(backend.dialect, _prior(len(frame)))
    links = _predict(backend, frame, settings, {}, min_probability)
    return _cluster(frame, [link for link in links if _vehicle_corroborated(link)], decisions)


def _person_corroborated(link: Link) -> bool:
    """A name is not enough unless it is rare: two records of a common name link only when
    something else agrees (a date of birth, co-offenders, the car, a street name). A height
    is a guess and a description (hair, build, a tattoo) is shared by many: neither
    counts on its own."""
    if link.levels.get("date_of_birth", ("", 0.0))[0] in DOB_AGREES:
        return True
    if link.levels.get("crew", ("", 0.0))[0] in CREW_AGREES:
        return True
    if link.levels.get("aliases", ("", 0.0))[0] == "shared":
        return True
    names = sum(link.levels.get(name, ("", 0.0))[1] for name in ("first_name", "last_name"))
    return names >= RARE_NAME_WEIGHT


def _vehicle_corroborated(link: Link) -> bool:
    """Make, model and colour never link alone (many shoplifters drive a silver Camry): the
    plate must agree, or the same person must be using both."""
    plate = link.levels.get("plate", ("", 0.0))[0]
    return plate in PLATE_AGREES or link.levels.get("people", ("", 0.0))[0] == "same_person"


def _prior(records: int) -> float:
    return min(0.05, EXPECTED_MATCHES_PER_RECORD / max(records, 2))


def _name_share(name: str) -> float:
    """How common a name is in either box: names land in the wrong box, and "Jones Robert"
    is as common a person as "Robert Jones"."""
    return max(surname_share(name), first_name_share(name))


def _term_frequencies(values: pd.Series, share: Any) -> pd.DataFrame:
    """How common each value is: the larger of its share of the population and of the extract."""
    present = values.dropna()
    counts = present.value_counts()
    total = max(len(present), 1)
    column = values.name
    return pd.DataFrame({
        column: counts.index,
        f"tf_{column}": [max(share(name), count / total) for name, count in counts.items()],
    })  # fmt: skip


def _predict(
    backend: Backend,
    frame: pd.DataFrame,
    settings: dict[str, Any],
    tf: dict[str, pd.DataFrame],
    min_probability: float,
) -> list[Link]:
    if len(frame) < 2:
        return []
    from splink import Linker

    api = backend.api()
    table = backend.register(api, frame, "records")
    linker = Linker(table, settings, log_level=logging.WARNING)
    for column, lookup in tf.items():
        if len(lookup):
            registered = backend.register(api, lookup, f"tf_lookup_{column}")
            linker.table_management.register_term_frequency_lookup(registered, column)
    scored = linker.inference.predict(
        threshold_match_probability=min_probability, warning_mode="never"
    )
    pairs = scored.as_pandas_dataframe()  # type: ignore[no-untyped-call]
    names = [c["output_column_name"] for c in settings["comparisons"]]
    labels = {
        c["output_column_name"]: [lv["label_for_charts"] for lv in c["comparison_levels"]
                                  if not lv.get("is_null_level")]
        for c in settings["comparisons"]
    }  # fmt: skip
    wanted = ["unique_id_l", "unique_id_r", "match_probability", "match_weight"]
    wanted += [c for c in pairs.columns if c.startswith(("gamma_", "mw_"))]
    columns = {name: pairs[name].tolist() for name in wanted}
    rows = ({name: values[i] for name, values in columns.items()} for i in range(len(pairs)))
    return [_link(row, names, labels) for row in rows]


def _link(row: dict[str, Any], names: list[str], labels: dict[str, list[str]]) -> Link:
    import math

    levels: dict[str, tuple[str, float]] = {}
    for name in names:
        gamma = int(row[f"gamma_{name}"])
        if gamma < 0:
            continue
        weight = float(row[f"mw_{name}"])
        adjustment = row.get(f"mw_tf_adj_{name}")
        if adjustment is not None and not math.isnan(float(adjustment)):
            weight += float(adjustment)
        label = labels[name][len(labels[name]) - 1 - gamma]
        levels[name] = (label, weight)
    return Link(
        a=str(row["unique_id_l"]),
        b=str(row["unique_id_r"]),
        probability=float(row["match_probability"]),
        weight=float(row["match_weight"]),
        levels=levels,
    )


def _cluster(frame: pd.DataFrame, links: list[Link], decisions: Decisions) -> Clusters:
    """Join records along links, strongest first, keeping apart what must stay apart.

    Two groups are not joined when they hold records of one incident (a person is recorded
    once per incident), a pair an investigator rejected, or records that contradict each
    other outright (dates of birth that no slip explains, heights far apart): a chain of
    weak links through a common name must not make one person of several.
    """
    records = list(frame["unique_id"])
    traits = _Traits(frame)
    incident = dict(zip(frame["unique_id"], frame["incident_id"], strict=True))
    known = set(records)
    parent = {record: record for record in records}
    members: dict[str, set[str]] = {record: {record} for record in records}
    incidents: dict[str, set[str]] = {record: {incident[record]} for record in records}
    rejected: dict[str, set[str]] = {record: set() for record in records}
    for a, b in decisions.different:
        if a in known and b in known:
            rejected[a].add(b)
            rejected[b].add(a)
    joined: dict[str, list[Link]] = {record: [] for record in records}

    def find(record: str) -> str:
        while parent[record] != record:
            parent[record] = parent[parent[record]]
            record = parent[record]
        return record

    def union(link: Link, forced: bool) -> None:
        root_a, root_b = find(link.a), find(link.b)
        if root_a == root_b:
            return
        if any(
            other in members[root_b] for record in members[root_a] for other in rejected[record]
        ):
            return
        if not forced and incidents[root_a] & incidents[root_b]:
            return
        if not forced and traits.contradict(root_a, root_b):
            return
        traits.merge(root_a, root_b)
        parent[root_b] = root_a
        members[root_a] |= members.pop(root_b)
        incidents[root_a] |= incidents.pop(root_b)
        joined[root_a] += [*joined.pop(root_b), link]

    for a, b in decisions.same:
        if a in known and b in known:
            union(Link(a, b, 1.0, 99.0, {"decision": ("confirmed", 99.0)}), forced=True)
    for link in sorted(links, key=lambda item: (-item.weight, item.a, item.b)):
        union(link, forced=False)
    clusters = Clusters(of={record: find(record) for record in records}, incident_of=incident)
    clusters.links = {root: joined.get(root, []) for root in set(clusters.of.values())}
    return clusters


class _Traits:
    """What each group says about its person (dates of birth, heights), to spot a contradiction."""

    HEIGHT_RANGE_CM = 22

    def __init__(self, frame: pd.DataFrame) -> None:
        self.dobs: dict[str, set[str]] = {}
        self.heights: dict[str, tuple[int, int]] = {}
        self.plates: dict[str, set[str]] = {}
        keys = frame["plate_key"] if "plate_key" in frame else [None] * len(frame)
        for record, key in zip(frame["unique_id"], keys, strict=True):
            whole = isinstance(key, str) and len(key) >= FULL_PLATE
            self.plates[record] = {key} if whole else set()
        dobs = frame["dob"] if "dob" in frame else [None] * len(frame)
        heights = frame["height"] if "height" in frame else [None] * len(frame)
        for record, dob, height in zip(frame["unique_id"], dobs, heights, strict=True):
            self.dobs[record] = {dob} if isinstance(dob, str) else set()
            if height is not None and not pd.isna(height):
                self.heights[record] = (int(height), int(height))

    def contradict(self, a: str, b: str) -> bool:
        if any(_edits(x, y) > 1 for x in self.plates[a] for y in self.plates[b]):
            return True
        if any(not _compatible_dates(x, y) for x in self.dobs[a] for y in self.dobs[b]):
            return True
        if a in self.heights and b in self.heights:
            low = min(self.heights[a][0], self.heights[b][0])
            high = max(self.heights[a][1], self.heights[b][1])
            return high - low > self.HEIGHT_RANGE_CM
        return False

    def merge(self, a: str, b: str) -> None:
        self.plates[a] |= self.plates.pop(b)
        self.dobs[a] |= self.dobs.pop(b)
        if b in self.heights:
            low, high = self.heights.pop(b)
            old_low, old_high = self.heights.get(a, (low, high))
            self.heights[a] = (min(low, old_low), max(high, old_high))


def _edits(x: str, y: str) -> int:
    """Levenshtein distance (plates are short)."""
    previous = list(range(len(y) + 1))
    for i, char in enumerate(x, start=1):
        current = [i]
        for j, other in enumerate(y, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1,
                               previous[j - 1] + (char != other)))  # fmt: skip
        previous = current
    return previous[-1]


def _compatible_dates(x: str, y: str) -> bool:
    """Two written dates of birth one person could have: the same month and day (or swapped:
    a year slip, a day/month swap or both), or the same year and month (a mistyped day)."""
    if x[5:] == y[5:] or (x[5:7] == y[8:10] and x[8:10] == y[5:7]):
        return True
    return x[:7] == y[:7]


def pairs_of(groups: Iterable[list[str]]) -> set[tuple[str, str]]:
    """Every pair of records in the same group (for pairwise precision and recall)."""
    pairs: set[tuple[str, str]] = set()
    for group in groups:
        ordered = sorted(group)
        for index, a in enumerate(ordered):
            for b in ordered[index + 1 :]:
                pairs.add((a, b))
    return pairs
