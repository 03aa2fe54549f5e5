"""Days, shifts and registers: who rings what, where and when.

Each store opens lanes R01-R06, a bank of self-checkouts SCO1-SCO4 watched by an attendant,
and the service desk SD1, in an opening and a closing shift. Cashiers work one shift on the
days they work; supervisors approve the other people's post-voids and overrides and now and
then cover a lane; the service desk takes the returns. A register's transactions are spread
evenly over its shift so they never overlap, and numbered in time order. One store-day is
built at a time and handed to the writer, so memory stays flat however big the data set.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from vigil.engines.pos.generation.baskets import HONEST_BUILDERS, ManagerTraining, PaidOut
from vigil.engines.pos.generation.context import (
    RegisterDay,
    Shift,
    Spec,
    World,
    transaction_prefix,
)
from vigil.engines.pos.generation.model import Txn
from vigil.engines.pos.generation.people import Employee, Store
from vigil.engines.pos.generation.schemes import (
    AFTER_HOURS,
    LANE_IDS,
    SCHEME_BUILDERS,
    OrcReturn,
    pair_refunds,
    scheme_specs,
)

SCO_IDS = ("SCO1", "SCO2", "SCO3", "SCO4")
DESK_ID = "SD1"
DAY_FACTORS = (0.9, 0.85, 0.9, 1.0, 1.15, 1.3, 1.1)  # Monday .. Sunday
LANE_FACTORS = (1.2, 1.15, 1.05, 0.95, 0.85, 0.8)
SCO_FACTOR = 0.8
DESK_FACTOR = 0.45
OUTLET_DESK_BOOST = 1.8  # the store near the outlet mall: many more (receipted) returns
LANE_RETURN = 0.012
OUTLET_LANE_RETURN = 0.036
LANE_CANCEL = 0.004
NEW_HIRE_CANCEL = 0.006
LEARNING_CANCEL = 0.02
LEARNING_DAYS = 14
DESK_RETURN = 0.62
DESK_EXCHANGE = 0.70
SUPERVISOR_COVERS_LANE = 0.35
DISHONEST_SUPERVISOR_COVERS_LANE = 0.9
UNATTENDED_SCO = 0.15
MANAGER_PAYS_OUT = 0.35  # per store-day
MANAGER_TRAINS = 0.04


@dataclass
class Staffing:
    """Who is on which register in each of the day's two shifts."""

    approvers: tuple[Employee, Employee]
    desk: list[Employee]
    lanes: dict[tuple[str, int], Employee] = field(default_factory=dict)
    attendants: list[Employee | None] = field(default_factory=list)
    manager: Employee | None = None


def store_days(world: World) -> Iterator[list[Txn]]:
    """Every store-day in date order, each as its transactions in time order."""
    staff = {store.store_id: _staff_by_role(world, store) for store in world.stores}
    for day_index in range(world.days):
        for store in world.stores:
            txns = _store_day(world, store, day_index, staff[store.store_id])
            world.close_day(store)
            txns.sort(key=lambda txn: txn.started_at)
            yield txns


def _staff_by_role(world: World, store: Store) -> dict[str, list[Employee]]:
    roles: dict[str, list[Employee]] = {}
    for employee in world.employees:
        if employee.store_id == store.store_id:
            roles.setdefault(employee.role, []).append(employee)
    return roles


def _store_day(
    world: World, store: Store, day_index: int, staff: dict[str, list[Employee]]
) -> list[Txn]:
    day = world.start + timedelta(days=day_index)
    staffing = _staff_day(world, day_index, staff)
    midnight = datetime(day.year, day.month, day.day, tzinfo=store.zone)
    base = world.per_register_day * DAY_FACTORS[day.weekday()]
    shifts = _shift_plans(world, store, day_index, midnight, staffing)
    injected = _injected(world, store, day_index, staffing)
    txns: list[Txn] = []
    for register_id, plans in shifts.items():
        for shift, volume in plans:
            specs, shut_door = _specs(world, shift, round(base * volume))
            specs += injected.pop((register_id, shift.number), [])
            txns += _ring_shift(world, shift, specs, shut_door)
        register = plans[0][0].register
        world.register_counts[(store.store_id, register_id, day)] = register.seq
    return txns


def _staff_day(world: World, day_index: int, staff: dict[str, list[Employee]]) -> Staffing:
    """Roster one store-day: approvers, the desk, lanes (dishonest and new staff always get a
    lane, because that is where their day shows) and the self-checkout attendants."""
    rng = world.rng
    day = world.start + timedelta(days=day_index)

    def working(role: str) -> list[Employee]:
        people = [e for e in staff.get(role, []) if e.works_on(day)]
        rng.shuffle(people)
        return people

    supervisors = working("supervisor")
    managers = working("manager") or staff.get("manager", []) or staff.get("supervisor", [])
    manager = managers[0] if managers else None
    fallback = supervisors[0] if supervisors else manager
    assert fallback is not None, "a store needs a supervisor or a manager"
    approvers = (fallback, supervisors[1] if len(supervisors) > 1 else fallback)
    desk = working("service_desk")[:2]
    if len(desk) == 1:
        cover = approvers[1] if rng.random() < 0.5 else approvers[0]
        desk = [desk[0], cover] if cover is approvers[1] else [cover, desk[0]]
    elif not desk:
        desk = list(approvers)
    staffing = Staffing(approvers, desk, manager=manager)
    _cover_lanes(world, staffing, supervisors)
    _assign_cashiers(world, staffing, working("cashier"))
    return staffing


def _cover_lanes(world: World, staffing: Staffing, supervisors: list[Employee]) -> None:
    """Supervisors not on the desk sometimes take lane R06 for their shift."""
    for shift_no, supervisor in enumerate(supervisors[:2]):
        if supervisor in staffing.desk:
            continue
        planted = supervisor.employee_id in world.plan.dishonest
        chance = DISHONEST_SUPERVISOR_COVERS_LANE if planted else SUPERVISOR_COVERS_LANE
        if world.rng.random() < chance:
            shift_no = shift_no if len(supervisors) > 1 else world.rng.randrange(2)
            staffing.lanes[("R06", shift_no)] = supervisor


def _assign_cashiers(world: World, staffing: Staffing, cashiers: list[Employee]) -> None:
    rng = world.rng
    plan = world.plan
    first = [c for c in cashiers if c.employee_id in plan.dishonest or c is plan.new_hire]
    cashiers = first + [c for c in cashiers if c not in first]
    slots = [(lane, no) for lane in LANE_IDS for no in (0, 1) if (lane, no) not in staffing.lanes]
    rng.shuffle(slots)
    for slot, cashier in zip(slots, cashiers, strict=False):
        staffing.lanes[slot] = cashier
    spare = cashiers[len(slots) :]
    staffing.attendants = [
        spare[no] if no < len(spare) and rng.random() >= UNATTENDED_SCO else None for no in (0, 1)
    ]


def _shift_plans(
    world: World, store: Store, day_index: int, midnight: datetime, staffing: Staffing
) -> dict[str, list[tuple[Shift, float]]]:
    """Every open register's shifts, each with its share of the day's volume."""
    day = world.start + timedelta(days=day_index)
    opens, closes = store.opens * 60, store.closes * 60
    middle = (opens + closes) // 2 // 900 * 900
    bounds = ((opens, middle), (middle, closes))
    desk_bounds = ((opens + 1800, middle), (middle, closes - 1800))
    outlet = store.store_id == world.plan.returns_store
    registers: dict[str, list[tuple[Shift, float]]] = {}

    def add(register_id: str, no: int, operator: Employee | None, volume: float) -> None:
        register = (
            registers[register_id][0][0].register
            if register_id in registers
            else RegisterDay(register_id, transaction_prefix(store.store_id, register_id, day))
        )
        start, end = desk_bounds[no] if register_id == DESK_ID else bounds[no]
        approver = _approver(staffing, no, operator)
        shift = Shift(store, day, day_index, midnight, register, operator, approver, start, end, no)
        if operator is not None:
            shift.planted = world.plan.dishonest.get(operator.employee_id)
            shift.learning = operator is world.plan.new_hire and (
                day < operator.hired_on + timedelta(days=LEARNING_DAYS)
            )
        jitter = world.rng.uniform(0.9, 1.1)
        registers.setdefault(register_id, []).append((shift, volume * jitter / 2))

    for index, lane in enumerate(LANE_IDS):
        for no in (0, 1):
            if (lane, no) in staffing.lanes:
                add(lane, no, staffing.lanes[(lane, no)], LANE_FACTORS[index])
    for sco in SCO_IDS:
        for no in (0, 1):
            add(sco, no, staffing.attendants[no], SCO_FACTOR)
    for no in (0, 1):
        add(DESK_ID, no, staffing.desk[no], DESK_FACTOR * (OUTLET_DESK_BOOST if outlet else 1))
    return registers


def _approver(staffing: Staffing, shift_no: int, operator: Employee | None) -> Employee:
    """The supervisor on duty, or someone else senior when the supervisor is the operator."""
    approver = staffing.approvers[shift_no]
    if approver is operator:
        others = [staffing.approvers[1 - shift_no], staffing.manager]
        approver = next((e for e in others if e is not None and e is not operator), approver)
    return approver


def _specs(world: World, shift: Shift, count: int) -> tuple[list[Spec], int]:
    """The shift's transactions as tags (honest background plus any planted scheme events),
    and how many sales the operator rings with the doors shut."""
    if shift.register.register_id == DESK_ID:
        specs = _desk_specs(world, shift, count)
    elif shift.self_checkout:
        specs = ["sale"] * count
    else:
        specs = _lane_specs(world, shift, count)
    if shift.planted is None:
        return specs, 0
    tags, shut_door = scheme_specs(world, shift.planted)
    return specs + tags, shut_door


def _lane_specs(world: World, shift: Shift, count: int) -> list[Spec]:
    rng = world.rng
    outlet = shift.store.store_id == world.plan.returns_store
    returns = OUTLET_LANE_RETURN if outlet else LANE_RETURN
    new_hire = shift.operator is not None and shift.operator is world.plan.new_hire
    cancels = LEARNING_CANCEL if shift.learning else NEW_HIRE_CANCEL if new_hire else LANE_CANCEL
    specs: list[Spec] = []
    for _ in range(count):
        roll = rng.random()
        if roll < returns:
            specs.append("lane_return")
        elif roll < returns + cancels:
            specs.append("learning_cancel" if shift.learning else "cancelled")
        else:
            specs.append("sale")
    specs += ["no_sale"] * rng.choice((0, 0, 0, 1, 1, 2))
    return specs


def _desk_specs(world: World, shift: Shift, count: int) -> list[Spec]:
    specs: list[Spec] = []
    for _ in range(count):
        roll = world.rng.random()
        if roll < DESK_RETURN:
            specs.append("desk_return")
        elif roll < DESK_EXCHANGE:
            specs.append("exchange")
        else:
            specs.append("desk_sale")
    return specs


def _injected(
    world: World, store: Store, day_index: int, staffing: Staffing
) -> dict[tuple[str, int], list[Spec]]:
    """Transactions that others bring to this store today, keyed by (register, shift)."""
    rng = world.rng
    placed: dict[tuple[str, int], list[Spec]] = {}

    def put(where: tuple[str, int], item: Spec) -> None:
        placed.setdefault(where, []).append(item)

    lanes = sorted(staffing.lanes)
    for item in world.pending.pop((day_index, store.store_id), []):
        put(rng.choice(lanes) if lanes else (DESK_ID, rng.randrange(2)), item)
    for returner in world.plan.orc:
        if returner.visits.get(day_index) == store.store_id:
            where = (DESK_ID, rng.randrange(2))
            for _ in range(rng.randint(1, 2)):
                put(where, OrcReturn(returner))
    if staffing.manager is not None:
        if rng.random() < MANAGER_PAYS_OUT:
            put((DESK_ID, rng.randrange(2)), PaidOut(staffing.manager))
        if rng.random() < MANAGER_TRAINS:
            put((DESK_ID, 0), ManagerTraining(staffing.manager))
    return placed


def _ring_shift(world: World, shift: Shift, specs: list[Spec], shut_door: int) -> list[Txn]:
    """Spread the shift's transactions evenly over it, in a random order, and ring them; a
    planted employee's shut-door sales go before opening or after closing."""
    rng = world.rng
    rng.shuffle(specs)
    pair_refunds(specs)
    txns: list[Txn] = []
    times = shut_door_times(shift.store, shift.number, shut_door)
    if shift.number == 0:
        for at in times:
            txns += _build(world, shift, AFTER_HOURS, at, 180)
    if specs:
        slot = (shift.end - shift.start) / len(specs)
        room = max(10, int(slot * 0.65))
        for number, spec in enumerate(specs):
            at = shift.start + int(number * slot + rng.random() * slot * 0.3)
            txns += _build(world, shift, spec, at, room)
    if shift.number == 1:
        for at in times:
            txns += _build(world, shift, AFTER_HOURS, at, 180)
    return txns


def _build(world: World, shift: Shift, spec: Spec, at: int, room: int) -> list[Txn]:
    if not isinstance(spec, str):
        return spec.build(world, shift, at, room)
    builder = HONEST_BUILDERS.get(spec) or SCHEME_BUILDERS[spec]
    return builder(world, shift, at, room)


def shut_door_times(store: Store, shift_no: int, count: int) -> list[int]:
    """Times (seconds after midnight) for ``count`` sales rung with the store shut: before
    opening for the opening shift, after closing for the closing one (never past 23:55)."""
    if shift_no == 0:
        first = store.opens * 60 - 75 * 60
        return [first + number * 240 for number in range(count)]
    first = store.closes * 60 + 12 * 60
    last = 23 * 3600 + 55 * 60
    return [min(last - (count - number) * 240, first + number * 240) for number in range(count)]
