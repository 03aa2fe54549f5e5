"""What the chain sells: about 300 SKUs in ordinary and CRAVED (high-theft) departments.

CRAVED is the LP acronym for what thieves want (Concealable, Removable, Available, Valuable,
Enjoyable, Disposable): razor blades, fragrance, cosmetics, electronics, baby formula,
alcohol, tobacco and over-the-counter medicine. Dishonest returns and sweethearting lean on
these departments, so the generator needs to know which they are. The catalogue is the same
for every seed so that SKUs mean the same thing across data sets.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from itertools import accumulate

from vigil.engines.pos.generation.seeds import seeded

CRAVED_DEPARTMENTS = (
    "razors",
    "fragrance",
    "cosmetics",
    "electronics",
    "baby_formula",
    "alcohol",
    "tobacco",
    "otc_medicine",
)
ORDINARY_DEPARTMENTS = ("grocery", "household", "apparel", "toys", "home")

# Untaxed in the (imaginary) states the chain trades in: food, formula and medicine.
UNTAXED_DEPARTMENTS = ("grocery", "baby_formula", "otc_medicine")


@dataclass(frozen=True)
class DepartmentSpec:
    """How many SKUs a department has, their price range in cents and how often they sell."""

    code: str
    count: int
    low: int
    high: int
    popularity: float
    brands: tuple[str, ...]
    items: tuple[str, ...]
    sizes: tuple[str, ...]


DEPARTMENTS: tuple[DepartmentSpec, ...] = (
    DepartmentSpec(
        "grocery",
        60,
        99,
        1299,
        6.0,
        ("Prairie Farms", "Harvest Lane", "Kellman's", "Blue Creek", "Nonna's"),
        ("cereal", "pasta", "coffee", "peanut butter", "soup", "crackers", "rice", "salsa"),
        ("12 oz", "16 oz", "24 oz", "family size", "2 lb"),
    ),
    DepartmentSpec(
        "household",
        35,
        299,
        2499,
        3.0,
        ("BrightHome", "Tidy", "CleanCo", "Everfresh"),
        ("detergent", "paper towels", "trash bags", "dish soap", "bleach", "sponges"),
        ("6 ct", "12 ct", "64 oz", "100 oz", "30 ct"),
    ),
    DepartmentSpec(
        "apparel",
        30,
        799,
        4999,
        1.2,
        ("Northline", "Daywear", "Basics+"),
        ("t-shirt", "socks 6pk", "hoodie", "leggings", "jeans", "cap"),
        ("S", "M", "L", "XL"),
    ),
    DepartmentSpec(
        "toys",
        20,
        499,
        5999,
        0.8,
        ("Playwell", "Brixton", "Kidzone"),
        ("building set", "puzzle", "doll", "RC car", "board game"),
        ("ages 3+", "ages 6+", "ages 8+"),
    ),
    DepartmentSpec(
        "home",
        25,
        499,
        7999,
        1.0,
        ("Hearth & Co", "Loft", "Casa"),
        ("towel set", "candle", "frame", "storage bin", "lamp", "cookware"),
        ("small", "medium", "large", "2 pc", "4 pc"),
    ),
    DepartmentSpec(
        "razors",
        12,
        899,
        4599,
        0.6,
        ("Gillette", "Schick", "Harry's"),
        ("Fusion5 refills", "Hydro 5 refills", "razor + 2 blades", "Mach3 refills"),
        ("4 ct", "8 ct", "12 ct"),
    ),
    DepartmentSpec(
        "fragrance",
        15,
        2999,
        11999,
        0.3,
        ("Calvane", "Lumiere", "Dior Rouge", "Aqua Vita"),
        ("eau de parfum", "eau de toilette", "cologne", "gift set"),
        ("1.7 oz", "3.4 oz", "100 ml"),
    ),
    DepartmentSpec(
        "cosmetics",
        25,
        599,
        3999,
        1.0,
        ("Maybelle", "L'Oreal", "Revlon", "NYX"),
        ("mascara", "foundation", "lipstick", "eye palette", "concealer"),
        ("shade 1", "shade 2", "shade 3", "shade 4"),
    ),
    DepartmentSpec(
        "electronics",
        20,
        1499,
        24999,
        0.5,
        ("Sony", "JBL", "Anker", "Beats", "SanDisk"),
        ("earbuds", "headphones", "power bank", "memory card", "speaker", "charger"),
        ("64 GB", "128 GB", "wireless", "USB-C"),
    ),
    DepartmentSpec(
        "baby_formula",
        10,
        1899,
        4999,
        0.5,
        ("Similac", "Enfamil", "Gerber"),
        ("infant formula", "sensitive formula", "toddler formula"),
        ("12.4 oz", "20.6 oz", "30.8 oz"),
    ),
    DepartmentSpec(
        "alcohol",
        20,
        799,
        5999,
        1.0,
        ("Tito's", "Jameson", "Barefoot", "Hennessy", "Modelo"),
        ("vodka", "whiskey", "wine", "cognac", "beer 12pk"),
        ("750 ml", "1 L", "1.75 L", "12 pk"),
    ),
    DepartmentSpec(
        "tobacco",
        12,
        899,
        7499,
        0.7,
        ("Marlboro", "Camel", "Newport", "Zyn"),
        ("cigarettes", "carton", "nicotine pouches", "vape pods"),
        ("pack", "carton", "5 ct"),
    ),
    DepartmentSpec(
        "otc_medicine",
        20,
        499,
        2999,
        1.1,
        ("Advil", "Tylenol", "Claritin", "Zyrtec", "Prilosec"),
        ("tablets", "liquid gels", "allergy relief", "acid reducer"),
        ("24 ct", "50 ct", "100 ct"),
    ),
)
PRODUCE_ITEMS = ("bananas", "apples", "avocados", "lemons", "onions", "tomatoes", "limes")
PRODUCE_COUNT = 15
CATALOGUE_SEED = 20260302


@dataclass(frozen=True, slots=True)
class Product:
    """One SKU: its shelf price and cost in cents, and whether thieves want it."""

    sku: str
    department: str
    description: str
    price: int
    cost: int
    craved: bool
    taxable: bool
    lookup: bool  # produce is looked up by PLU, never scanned
    weight: float


@dataclass(frozen=True)
class Catalogue:
    """Every SKU, with cumulative popularity weights so a basket is drawn in one call."""

    products: tuple[Product, ...]
    craved: tuple[Product, ...]
    pricey: tuple[Product, ...]
    cumulative: tuple[float, ...]

    def basket(self, rng: random.Random, size: int) -> list[Product]:
        """``size`` products drawn by popularity (repeats allowed, as in a real basket)."""
        return rng.choices(self.products, cum_weights=self.cumulative, k=size)

    def craved_items(self, rng: random.Random, size: int) -> list[Product]:
        """High-theft items, as a booster or an organised returner brings back."""
        return [rng.choice(self.craved) for _ in range(size)]

    def pricey_items(self, rng: random.Random, size: int) -> list[Product]:
        """Items worth stealing through a cash register: the dearer half of the catalogue."""
        return [rng.choice(self.pricey) for _ in range(size)]


def _price(rng: random.Random, low: int, high: int) -> int:
    """A shelf price between low and high that ends the way shelf prices do (.99, .49, .79)."""
    dollars = rng.randint(low // 100, max(low // 100, high // 100))
    return dollars * 100 + rng.choice((99, 99, 99, 49, 79))


def _department_products(rng: random.Random, spec: DepartmentSpec) -> list[Product]:
    craved = spec.code in CRAVED_DEPARTMENTS
    taxable = spec.code not in UNTAXED_DEPARTMENTS
    prefix = spec.code[:3].upper()
    products = []
    for number in range(1, spec.count + 1):
        price = _price(rng, spec.low, spec.high)
        description = f"{rng.choice(spec.brands)} {rng.choice(spec.items)} {rng.choice(spec.sizes)}"
        products.append(
            Product(
                sku=f"{prefix}{number:04d}",
                department=spec.code,
                description=description,
                price=price,
                cost=round(price * rng.uniform(0.45, 0.7)),
                craved=craved,
                taxable=taxable,
                lookup=False,
                weight=spec.popularity * rng.uniform(0.3, 1.7),
            )
        )
    return products


def _produce(rng: random.Random) -> list[Product]:
    products = []
    for number in range(1, PRODUCE_COUNT + 1):
        price = _price(rng, 49, 499)
        products.append(
            Product(
                sku=f"PRD{number:04d}",
                department="grocery",
                description=f"{rng.choice(PRODUCE_ITEMS)} (produce)",
                price=price,
                cost=round(price * rng.uniform(0.4, 0.6)),
                craved=False,
                taxable=False,
                lookup=True,
                weight=6.0 / PRODUCE_COUNT * rng.uniform(2.0, 4.0),
            )
        )
    return products


def build_catalogue() -> Catalogue:
    """The chain's catalogue (seed-independent)."""
    rng = seeded(CATALOGUE_SEED, "catalogue")
    products: list[Product] = []
    for spec in DEPARTMENTS:
        products.extend(_department_products(rng, spec))
    products.extend(_produce(rng))
    prices = sorted(product.price for product in products)
    median = prices[len(prices) // 2]
    return Catalogue(
        products=tuple(products),
        craved=tuple(product for product in products if product.craved),
        pricey=tuple(product for product in products if product.price >= median),
        cumulative=tuple(accumulate(product.weight for product in products)),
    )
