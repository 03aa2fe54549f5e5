"""The Fellegi-Sunter model: Splink settings for people and for vehicles, with fixed weights.

The m and u probabilities are set by hand rather than trained, for two reasons: an extract is
often small (a few hundred incidents, too few for expectation maximisation to find stable
values), and an investigator must get the same answer from the same data every time. Each
m is how often two records of the *same* person (or vehicle) fall in that level, allowing
for how stores write reports; each u how often two records of *different* people do. Names
use term-frequency adjustment against the population (the census tables in ``data/``), so a
common surname weighs less. The SQL is written per dialect (DuckDB or Spark) so that both
engines score exactly the same model.
"""

from __future__ import annotations

from typing import Any

Level = dict[str, Any]

# How an array overlap is written in each engine's SQL.
_OVERLAP = {
    "duckdb": "len(list_intersect({l}, {r})) >= 1",
    "spark": "size(array_intersect({l}, {r})) >= 1",
}
_DL = {"duckdb": "damerau_levenshtein", "spark": "damerau_levenshtein"}
_JW = {"duckdb": "jaro_winkler_similarity", "spark": "jaro_winkler"}


def overlap(dialect: str, column: str) -> str:
    return _OVERLAP[dialect].format(l=f"{column}_l", r=f"{column}_r")


def level(sql: str, label: str, m: float, u: float, **extra: Any) -> Level:
    return {"sql_condition": sql, "label_for_charts": label, "m_probability": m,
            "u_probability": u, **extra}  # fmt: skip


def null_level(sql: str) -> Level:
    return {"sql_condition": sql, "label_for_charts": "null", "is_null_level": True}


def comparison(name: str, levels: list[Level]) -> dict[str, Any]:
    return {"output_column_name": name, "comparison_levels": levels}


def people_settings(dialect: str, prior: float) -> dict[str, Any]:
    jw, dl = _JW[dialect], _DL[dialect]

    # Names in the wrong boxes: one box's surname is the other's first-name box, and the
    # remaining two agree (exactly, as nicknames or within a typo) or one is blank.
    def rest(a: str, b: str) -> str:
        return f"{a}_l IS NULL OR {a}_l = {b}_r OR {jw}({a}_l, {b}_r) >= 0.9 OR " + overlap(
            dialect, f"{a}_forms"
        ).replace(f"{a}_forms_r", f"{b}_forms_r")

    swapped = (
        f"(first_l = last_r AND ({rest('last', 'first')})) OR "
        f"(last_l = first_r AND ({rest('first', 'last')}))"
    )
    last = comparison("last_name", [
        null_level(f"(last_l IS NULL OR last_r IS NULL) AND NOT COALESCE(({swapped}), FALSE)"),
        level(swapped, "swapped", 0.05, 0.0002),
        level("last_l = last_r", "exact", 0.83, 0.001, tf_adjustment_column="last",
              tf_adjustment_weight=1.0),
        level(f"{dl}(last_l, last_r) <= 1 OR {jw}(last_l, last_r) >= 0.92", "typo", 0.09, 0.002),
        level("ELSE", "different", 0.03, 0.99),
    ])  # fmt: skip
    first = comparison("first_name", [
        null_level("first_l IS NULL OR first_r IS NULL"),
        level(swapped, "swapped", 0.05, 0.05),
        level("first_l = first_r", "exact", 0.70, 0.01, tf_adjustment_column="first",
              tf_adjustment_weight=1.0),
        level(overlap(dialect, "first_forms"), "nickname", 0.18, 0.01),
        level(f"{dl}(first_l, first_r) <= 1 OR {jw}(first_l, first_r) >= 0.9", "typo", 0.07,
              0.01),
        level("ELSE", "different", 0.05, 0.93),
    ])  # fmt: skip
    dob = comparison("date_of_birth", [
        null_level("dob_l IS NULL OR dob_r IS NULL"),
        level("dob_l = dob_r", "exact", 0.78, 0.0001),
        level("dob_l = dob_swapped_r", "day_month_swapped", 0.06, 0.00005),
        level("substr(dob_l, 6, 5) = substr(dob_r, 6, 5)", "year_slip", 0.12, 0.0027),
        level("ELSE", "different", 0.04, 0.9996),
    ])  # fmt: skip
    height = comparison("height", [
        null_level("height_l IS NULL OR height_r IS NULL"),
        level("abs(height_l - height_r) <= 5", "within_5cm", 0.70, 0.30),
        level("abs(height_l - height_r) <= 10", "within_10cm", 0.27, 0.27),
        level("ELSE", "different", 0.03, 0.43),
    ])  # fmt: skip
    # Co-offending and a shared car both say "same crew", so they are one comparison:
    # counted twice they would merge two members of one crew who share a surname.
    co, car = overlap(dialect, "co_keys"), overlap(dialect, "car_keys")
    crew = comparison("crew", [
        null_level("(size_co_l = 0 OR size_co_r = 0) AND (size_car_l = 0 OR size_car_r = 0)"),
        level(f"({co}) AND ({car})", "co_offender_and_vehicle", 0.35, 0.001),
        level(co, "co_offender", 0.30, 0.002),
        level(car, "vehicle", 0.15, 0.002),
        level("ELSE", "neither", 0.20, 0.995),
    ])  # fmt: skip
    aliases = comparison("aliases", [
        null_level("size_aliases_l = 0 OR size_aliases_r = 0"),
        level(overlap(dialect, "alias_keys"), "shared", 0.6, 0.003),
        level("ELSE", "different", 0.4, 0.997),
    ])  # fmt: skip
    marks = comparison("marks", [
        null_level("marks_l IS NULL OR marks_r IS NULL"),
        level("marks_l = marks_r", "same", 0.7, 0.04),
        level("ELSE", "different", 0.3, 0.96),
    ])  # fmt: skip
    looks = comparison("hair_build", [
        null_level("hair_l IS NULL OR hair_r IS NULL OR build_l IS NULL OR build_r IS NULL"),
        level("hair_l = hair_r AND build_l = build_r", "both", 0.65, 0.06),
        level("hair_l = hair_r OR build_l = build_r", "one", 0.3, 0.4),
        level("ELSE", "neither", 0.05, 0.54),
    ])  # fmt: skip
    return _settings(
        prior, [last, first, dob, height, crew, aliases, marks, looks], _people_blocking()
    )


def _people_blocking() -> list[str]:
    apart = " AND l.incident_id <> r.incident_id"
    rules = [
        "l.last = r.last",
        "l.dob = r.dob",
        "l.first = r.first AND substr(l.last, 1, 1) = substr(r.last, 1, 1)",
        "l.first = r.last",
        "l.last = r.first",
        "l.last_sorted = r.last_sorted",
        "l.first = r.first AND l.car_key = r.car_key",
    ]
    return [rule + apart for rule in rules]


def vehicle_settings(dialect: str, prior: float) -> dict[str, Any]:
    dl = _DL[dialect]
    partial = (
        "(length(plate_key_l) >= 4 AND length(plate_key_l) < length(plate_key_r) AND "
        "substr(plate_key_r, 1, length(plate_key_l)) = plate_key_l) OR "
        "(length(plate_key_r) >= 4 AND length(plate_key_r) < length(plate_key_l) AND "
        "substr(plate_key_l, 1, length(plate_key_r)) = plate_key_r)"
    )
    plate = comparison("plate", [
        null_level("plate_l IS NULL OR plate_r IS NULL"),
        level("plate_l = plate_r", "exact", 0.80, 0.00001),
        level("plate_key_l = plate_key_r", "reader_confusion", 0.12, 0.00002),
        level(partial, "partial", 0.06, 0.0002),
        level(f"{dl}(plate_key_l, plate_key_r) <= 1 AND length(plate_key_l) >= 6",
              "one_character", 0.02, 0.0005),
        level("ELSE", "different", 0.003, 0.9995),
    ])  # fmt: skip
    region = comparison("plate_region", [
        null_level("plate_region_l IS NULL OR plate_region_r IS NULL"),
        level("plate_region_l = plate_region_r", "exact", 0.95, 0.4),
        level("ELSE", "different", 0.05, 0.6),
    ])  # fmt: skip
    make_model = comparison("make_model", [
        null_level("make_l IS NULL OR make_r IS NULL"),
        level("make_l = make_r AND model_l = model_r", "exact", 0.85, 0.05),
        level("make_l = make_r", "make", 0.13, 0.12),
        level("ELSE", "different", 0.02, 0.83),
    ])  # fmt: skip
    colour = comparison("colour", [
        null_level("colour_l IS NULL OR colour_r IS NULL"),
        level("colour_l = colour_r", "exact", 0.95, 0.15),
        level("ELSE", "different", 0.05, 0.85),
    ])  # fmt: skip
    people = comparison("people", [
        null_level("size_people_l = 0 OR size_people_r = 0"),
        level(overlap(dialect, "people_keys"), "same_person", 0.6, 0.001),
        level("ELSE", "different_people", 0.4, 0.999),
    ])  # fmt: skip
    apart = " AND l.incident_id <> r.incident_id"
    blocking = [
        "l.plate_key = r.plate_key",
        "substr(l.plate_key, 1, 4) = substr(r.plate_key, 1, 4)",
        "l.people_key = r.people_key",
    ]
    return _settings(
        prior, [plate, region, make_model, colour, people], [rule + apart for rule in blocking]
    )


def _settings(prior: float, comparisons: list[Any], blocking: list[str]) -> dict[str, Any]:
    return {
        "link_type": "dedupe_only",
        "unique_id_column_name": "unique_id",
        "probability_two_random_records_match": prior,
        "comparisons": comparisons,
        "blocking_rules_to_generate_predictions": [{"blocking_rule": rule} for rule in blocking],
        "retain_intermediate_calculation_columns": True,
        "retain_matching_columns": True,
        "additional_columns_to_retain": ["incident_id"],
    }
