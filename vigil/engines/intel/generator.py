"""``vigil intel generate OUT_DIR --truth FILE``: a realistic incident extract and its answer key.

A chain's incident reports over a few months: crews of two to five people with one or two
cars working three to eight stores over weeks, repeat lone offenders, one-off shoplifters,
and look-alikes (people with a common name but another date of birth and height; popular
cars with other plates). Each record is written the way a store writes it: nicknames, typos
and transpositions, first and last names in the wrong boxes, blank first names, dates of
birth blank, day/month swapped or with a year slip, guessed heights, misread and partial
plates. The answer key says which person, vehicle and network each record belongs to.
The same seed always gives the same files.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from functools import cache
from pathlib import Path

from rich.console import Console

from vigil.engines.intel.names import DATA, nicknames_of

COMMON_NAMES = (
    ("michael", "johnson"),
    ("james", "smith"),
    ("david", "williams"),
    ("jennifer", "brown"),
    ("robert", "jones"),
    ("maria", "garcia"),
)
ALIASES = [
    "smoke",
    "ghost",
    "slim",
    "tiny",
    "red",
    "dre",
    "lil-j",
    "boots",
    "shadow",
    "ace",
    "kiki",
    "buzz",
]
BUILDS = ("slim", "medium", "heavy", "athletic")
HAIR = ("black", "brown", "blond", "red", "grey", "bald", "dreadlocks", "braids")
MARKS = ("", "", "", "tattoo left forearm", "scar on chin", "neck tattoo", "sleeve tattoo right")
CARS = (
    ("Toyota", "Camry", "silver"),
    ("Honda", "Civic", "black"),
    ("Toyota", "Sienna", "silver"),
    ("Ford", "F-150", "white"),
    ("Nissan", "Altima", "grey"),
    ("Chevrolet", "Malibu", "blue"),
    ("Dodge", "Caravan", "red"),
    ("Hyundai", "Elantra", "white"),
    ("Kia", "Optima", "black"),
    ("Jeep", "Cherokee", "green"),
)
POPULAR_CAR = CARS[0]
REGIONS = ("IL", "IN", "WI")
METHODS = (
    "booster bag",
    "concealed in stroller",
    "push-out with full cart",
    "tag switching",
    "grab and run",
    "fitting room concealment",
    "distraction while partner conceals",
)
ITEMS = ("cosmetics", "razors", "infant formula", "electronics", "apparel", "liquor", "tools")
CONFUSIONS = {"O": "0", "0": "O", "B": "8", "8": "B", "I": "1", "1": "I", "S": "5", "5": "S"}
CONFUSIONS |= {"Z": "2", "2": "Z", "G": "6", "6": "G"}
START = datetime(2026, 3, 2, 9, 0, tzinfo=timezone(timedelta(hours=-6)))
STORES = 24


@dataclass
class Person:
    person_id: str
    first: str
    last: str
    dob: date
    height: int
    build: str
    hair: str
    marks: str
    alias: str


@dataclass
class Vehicle:
    vehicle_id: str
    plate: str
    region: str
    make: str
    model: str
    colour: str


@dataclass
class Incident:
    incident_id: str
    store_id: str
    occurred_at: datetime
    kind: str
    loss: str
    method: str
    items: str
    people: list[Person] = field(default_factory=list)
    vehicles: list[Vehicle] = field(default_factory=list)


@dataclass
class Truth:
    """The answer key: person, vehicle and network of every record, and the look-alikes."""

    subjects: dict[str, str] = field(default_factory=dict)
    vehicles: dict[str, str] = field(default_factory=dict)
    incidents: dict[str, str | None] = field(default_factory=dict)
    lookalike_people: list[list[str]] = field(default_factory=list)
    lookalike_vehicles: list[list[str]] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        return {
            "subjects": self.subjects,
            "vehicles": self.vehicles,
            "incidents": self.incidents,
            "lookalikes": {"people": self.lookalike_people, "vehicles": self.lookalike_vehicles},
        }


class World:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)  # noqa: S311 (made-up data, reproducible by seed)
        self.people: list[Person] = []
        self.vehicles: list[Vehicle] = []
        self.plates: set[str] = set()
        self.names: set[tuple[str, str]] = set()

    def person(self, name: tuple[str, str] | None = None) -> Person:
        rng = self.rng
        while name is None:
            candidate = (_census_pick(rng, "first_name_frequency.csv"),
                         _census_pick(rng, "surname_frequency.csv"))  # fmt: skip
            if candidate not in self.names and candidate not in COMMON_NAMES:
                name = candidate
        self.names.add(name)
        dob = date(1960, 1, 1) + timedelta(days=rng.randrange(365 * 45))
        height = int(rng.gauss(172, 10))
        person = Person(
            f"PER{len(self.people) + 1:05d}",
            name[0],
            name[1],
            dob,
            height,
            rng.choice(BUILDS),
            rng.choice(HAIR),
            rng.choice(MARKS),
            rng.choice(ALIASES) if rng.random() < 0.3 else "",
        )
        self.people.append(person)
        return person

    def vehicle(self, car: tuple[str, str, str] | None = None) -> Vehicle:
        rng = self.rng
        plate = ""
        while not plate or plate in self.plates:
            letters = "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(3))
            plate = letters + "".join(rng.choice("0123456789") for _ in range(4))
        self.plates.add(plate)
        make, model, colour = car or rng.choice(CARS)
        vehicle = Vehicle(
            f"VEH{len(self.vehicles) + 1:05d}", plate, rng.choice(REGIONS), make, model, colour
        )
        self.vehicles.append(vehicle)
        return vehicle


@cache
def _census(file: str) -> tuple[list[str], list[float]]:
    names, cumulative, total = [], [], 0.0
    with (DATA / file).open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            total += float(row["share"])
            names.append(row["name"])
            cumulative.append(total)
    return names, cumulative


def _census_pick(rng: random.Random, file: str) -> str:
    """A name drawn as often as people have it in the census tables (a Smith is common)."""
    names, cumulative = _census(file)
    return rng.choices(names, cum_weights=cumulative)[0]


def generate(out_dir: Path, truth_path: Path, *, seed: int = 1, incidents: int = 300) -> Truth:
    """Write an extract of about ``incidents`` incidents to ``out_dir`` and its answer key."""
    world = World(seed)
    plan = _plan(world, incidents)
    plan.sort(key=lambda incident: incident.occurred_at)
    for number, incident in enumerate(plan, start=1):
        incident.incident_id = f"INC{number:05d}"
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    truth = _write(world, plan, out_dir)
    Path(truth_path).write_text(json.dumps(truth.as_json(), indent=1, sort_keys=True) + "\n")
    return truth


def _plan(world: World, target: int) -> list[Incident]:
    rng = world.rng
    plan: list[Incident] = []
    lookalikes = [world.person(name) for name in COMMON_NAMES for _ in range(3)]
    # Look-alikes share a name but not a body: heights a head apart (and their own births).
    for index, person in enumerate(lookalikes):
        person.height = 158 + 14 * (index % 3) + rng.randint(-2, 2)
    popular = [world.vehicle(POPULAR_CAR) for _ in range(6)]
    # Look-alikes each appear in incidents of their own: crews, lone repeats or one-offs.
    pending_people = list(lookalikes)
    pending_cars = list(popular)
    while len(plan) < target:
        roll = rng.random()
        if roll < 0.45:
            size = rng.randint(2, 5)
            crew: list[Person] = []
            while len(crew) < size:
                member = _take_person(pending_people, world)
                if any((m.first, m.last) == (member.first, member.last) for m in crew):
                    pending_people.append(member)
                    member = world.person()
                crew.append(member)
            cars = [_take_car(pending_cars, world) for _ in range(rng.randint(1, 2))]
            plan += _crew_spree(world, crew, cars)
        elif roll < 0.7:
            person = _take_person(pending_people, world)
            car = _take_car(pending_cars, world) if rng.random() < 0.5 else None
            plan += _lone_repeats(world, person, car)
        else:
            person = _take_person(pending_people, world)
            car = _take_car(pending_cars, world) if rng.random() < 0.3 else None
            plan.append(_incident(world, [person], [car] if car else [], _store(rng)))
    return plan


def _take_person(pending: list[Person], world: World) -> Person:
    """Now and then a look-alike (in a random order), otherwise someone new."""
    if pending and world.rng.random() < 0.25:
        return pending.pop(world.rng.randrange(len(pending)))
    return world.person()


def _take_car(pending: list[Vehicle], world: World) -> Vehicle:
    if pending and world.rng.random() < 0.3:
        return pending.pop(world.rng.randrange(len(pending)))
    return world.vehicle()


def _crew_spree(world: World, crew: list[Person], cars: list[Vehicle]) -> list[Incident]:
    rng = world.rng
    stores = rng.sample(range(1, STORES + 1), rng.randint(3, 8))
    start = rng.randrange(120)
    method = rng.choice(METHODS)
    spree = []
    for number in range(rng.randint(3, 9)):
        day = start + number * rng.randint(2, 9)
        present = [p for p in crew if rng.random() < 0.75] or crew[:1]
        driven = [rng.choice(cars)] if rng.random() < 0.8 else []
        spree.append(_incident(world, present, driven, stores[number % len(stores)], day, method))
    return spree


def _lone_repeats(world: World, person: Person, car: Vehicle | None) -> list[Incident]:
    rng = world.rng
    start = rng.randrange(150)
    return [
        _incident(
            world,
            [person],
            [car] if car and rng.random() < 0.7 else [],
            _store(rng),
            start + n * rng.randint(3, 20),
        )
        for n in range(rng.randint(2, 4))
    ]


def _store(rng: random.Random) -> int:
    return rng.randint(1, STORES)


def _incident(
    world: World,
    people: list[Person],
    vehicles: list[Vehicle],
    store: int,
    day: int | None = None,
    method: str | None = None,
) -> Incident:
    rng = world.rng
    when = START + timedelta(
        days=day if day is not None else rng.randrange(180), minutes=rng.randrange(11 * 60)
    )
    kind = "orc" if len(people) > 1 else rng.choice(("shoplifting", "shoplifting", "other"))
    loss = f"{rng.uniform(40, 2400):.2f}"
    items = ";".join(rng.sample(ITEMS, rng.randint(1, 3)))
    return Incident(
        "", f"S{200 + store}", when, kind, loss, method or rng.choice(METHODS), items,
        list(people), list(vehicles),
    )  # fmt: skip


def _write(world: World, plan: list[Incident], out_dir: Path) -> Truth:
    truth = Truth()
    rng = world.rng
    stores = [
        {"store_id": f"S{200 + n}", "name": f"Store {200 + n}", "region": "Midwest",
         "timezone": "America/Chicago"}
        for n in range(1, STORES + 1)
    ]  # fmt: skip
    incidents: list[dict[str, str]] = []
    subjects: list[dict[str, str]] = []
    vehicles: list[dict[str, str]] = []
    for incident in plan:
        incidents.append(
            {
                "incident_id": incident.incident_id,
                "store_id": incident.store_id,
                "occurred_at": incident.occurred_at.isoformat(),
                "kind": incident.kind,
                "loss": incident.loss,
                "items": incident.items,
                "method": incident.method,
                "narrative": f"{len(incident.people)} subject(s), {incident.method}",
            }
        )
        for person in incident.people:
            record_id = f"SR{len(subjects) + 1:05d}"
            subjects.append({"subject_record_id": record_id, "incident_id": incident.incident_id,
                             **_as_written(rng, person)})  # fmt: skip
            truth.subjects[record_id] = person.person_id
        for vehicle in incident.vehicles:
            record_id = f"VR{len(vehicles) + 1:05d}"
            vehicles.append({"vehicle_record_id": record_id, "incident_id": incident.incident_id,
                             **_vehicle_as_read(rng, vehicle)})  # fmt: skip
            truth.vehicles[record_id] = vehicle.vehicle_id
    truth.incidents = _networks(plan)
    truth.lookalike_people = _lookalikes(truth.subjects, world, people=True)
    truth.lookalike_vehicles = _lookalikes(truth.vehicles, world, people=False)
    _write_csv(out_dir / "stores.csv", stores)
    _write_csv(out_dir / "incidents.csv", incidents)
    _write_csv(out_dir / "subjects.csv", subjects)
    _write_csv(out_dir / "vehicles.csv", vehicles)
    return truth


def _as_written(rng: random.Random, person: Person) -> dict[str, str]:
    first, last = person.first, person.last
    if rng.random() < 0.2:
        first = rng.choice(sorted(nicknames_of(first)) or [first])
    if rng.random() < 0.08:
        first = _typo(rng, first)
    if rng.random() < 0.1:
        last = _typo(rng, last)
    if rng.random() < 0.06:
        first = ""
    if rng.random() < 0.05:
        first, last = last, first
    return {
        "first_name": first.title(),
        "last_name": last.title(),
        "aliases": person.alias if rng.random() < 0.5 else "",
        "date_of_birth": _dob_as_written(rng, person.dob),
        "height_cm": str(int(round(rng.gauss(person.height, 3.5) / 2.5) * 2.5))
        if rng.random() < 0.85
        else "",
        "build": person.build if rng.random() < 0.8 else rng.choice(BUILDS),
        "hair": person.hair if rng.random() < 0.85 else rng.choice(HAIR),
        "marks": person.marks if rng.random() < 0.7 else "",
    }


def _typo(rng: random.Random, name: str) -> str:
    if len(name) < 4:
        return name
    spot = rng.randrange(1, len(name) - 1)
    roll = rng.random()
    if roll < 0.4:  # transposition
        return name[:spot] + name[spot + 1] + name[spot] + name[spot + 2 :]
    if roll < 0.7:  # a letter dropped
        return name[:spot] + name[spot + 1 :]
    return name[:spot] + rng.choice("aeiourstn") + name[spot + 1 :]


def _dob_as_written(rng: random.Random, dob: date) -> str:
    roll = rng.random()
    if roll < 0.4:
        return ""
    if roll < 0.46 and dob.day <= 12 and dob.day != dob.month:
        return date(dob.year, dob.day, dob.month).isoformat()
    if roll < 0.52:
        slipped = dob.year + rng.choice((-1, 1, -10, 10))
        try:
            return dob.replace(year=slipped).isoformat()
        except ValueError:
            return dob.isoformat()
    return dob.isoformat()


def _vehicle_as_read(rng: random.Random, vehicle: Vehicle) -> dict[str, str]:
    plate = vehicle.plate
    roll = rng.random()
    if roll < 0.15:
        spots = [n for n, char in enumerate(plate) if char in CONFUSIONS]
        if spots:
            spot = rng.choice(spots)
            plate = plate[:spot] + CONFUSIONS[plate[spot]] + plate[spot + 1 :]
    elif roll < 0.22:
        plate = plate[: rng.randint(4, 5)]
    elif roll < 0.25:
        plate = ""
    return {
        "plate": plate,
        "plate_region": vehicle.region if rng.random() < 0.9 else "",
        "make": vehicle.make,
        "model": vehicle.model if rng.random() < 0.9 else "",
        "colour": vehicle.colour,
    }


def _networks(plan: list[Incident]) -> dict[str, str | None]:
    """Networks as the contract defines them: incidents joined by a shared person or vehicle."""
    parent = {incident.incident_id: incident.incident_id for incident in plan}

    def find(item: str) -> str:
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    first_seen: dict[str, str] = {}
    for incident in plan:
        keys = [p.person_id for p in incident.people] + [v.vehicle_id for v in incident.vehicles]
        for key in keys:
            if key in first_seen:
                parent[find(incident.incident_id)] = find(first_seen[key])
            else:
                first_seen[key] = incident.incident_id
    sizes: dict[str, int] = {}
    for incident_id in parent:
        sizes[find(incident_id)] = sizes.get(find(incident_id), 0) + 1
    return {
        incident_id: (f"NET-{find(incident_id)}" if sizes[find(incident_id)] > 1 else None)
        for incident_id in parent
    }


def _lookalikes(records: dict[str, str], world: World, *, people: bool) -> list[list[str]]:
    """Record pairs of different people sharing a common name (or of different popular cars)."""
    group: dict[str, tuple[str, ...]]
    if people:
        group = {
            p.person_id: (p.first, p.last)
            for p in world.people
            if (p.first, p.last) in COMMON_NAMES
        }
    else:
        group = {v.vehicle_id: (v.make, v.model, v.colour) for v in world.vehicles
                 if (v.make, v.model, v.colour) == POPULAR_CAR}  # fmt: skip
    chosen = sorted((record, key) for record, key in records.items() if key in group)
    pairs = []
    for index, (record_a, entity_a) in enumerate(chosen):
        for record_b, entity_b in chosen[index + 1 :]:
            if entity_a != entity_b and group[entity_a] == group[entity_b]:
                pairs.append([record_a, record_b])
    return pairs


def _write_csv(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]) if rows else ["id"])
        writer.writeheader()
        writer.writerows(rows)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("out_dir", type=Path, help="folder to write the extract to")
    parser.add_argument("--truth", type=Path, required=True, help="where to write the answer key")
    parser.add_argument("--seed", type=int, default=1, help="the same seed gives the same files")
    parser.add_argument("--incidents", type=int, default=300, help="about how many incidents")


def run(args: argparse.Namespace, console: Console) -> int:
    if Path(args.truth).resolve().is_relative_to(Path(args.out_dir).resolve()):
        console.print("the answer key must not go inside the extract folder")
        return 2
    truth = generate(args.out_dir, args.truth, seed=args.seed, incidents=args.incidents)
    networks = {value for value in truth.incidents.values() if value}
    console.print(
        f"Wrote {len(truth.incidents):,} incidents, {len(truth.subjects):,} subject records "
        f"and {len(truth.vehicles):,} vehicle records to {args.out_dir} "
        f"({len(set(truth.subjects.values())):,} people, {len(networks):,} networks); "
        f"answer key in {args.truth}"
    )
    return 0
