"""Every invented word the demo area uses: names, places, addresses, contact details.

All of it is obviously fictional. Family names are invented words ("Quibbleton", "Fakewell") so
that any pairing reads as made up; postcodes use ZZ99, the NHS pseudo-postcode that no real
address has; telephone numbers come from Ofcom's range reserved for drama (07700 900xxx); email
addresses use the reserved ``example.com`` domain; NHS numbers start 999 (never issued).
"""

from __future__ import annotations

import random

AREA = "Fakeshire"

FAMILY_NAMES: tuple[str, ...] = (
    "Quibbleton",
    "Fakewell",
    "Testerby",
    "Placeholder",
    "Madeup",
    "Notreal",
    "Testington",
    "Fakename",
    "Dummyford",
    "Samplesworth",
    "Mockridge",
    "Stubsworth",
    "Fixturley",
    "Pretendale",
    "Examplestone",
    "Fictionby",
    "Loremford",
    "Ipsumbury",
    "Imaginley",
    "Bogusworth",
    "Shamwell",
    "Nullington",
    "Voidsby",
    "Dataless",
    "Inventorby",
    "Phantomley",
    "Makebelieve",
    "Spoofington",
    "Decoyfield",
    "Fauxbridge",
    "Sandboxley",
    "Mockingham",
    "Teststone",
    "Trialsworth",
    "Pseudoley",
    "Unrealby",
    "Nowhereton",
    "Whimsby",
    "Fibbington",
    "Fableworth",
    "Daydreamley",
    "Hypothetton",
    "Templateby",
    "Exampleton",
    "Specimenley",
    "Zeroworth",
    "Notaname",
    "Draftington",
)

# Given names are ordinary; paired with an invented family name the whole reads as fictional.
FEMALE_GIVEN_NAMES: tuple[str, ...] = (
    "Amara",
    "Bethany",
    "Cerys",
    "Daisy",
    "Esme",
    "Freya",
    "Gwen",
    "Hallie",
    "Isla",
    "Jasmine",
    "Kemi",
    "Lola",
    "Maya",
    "Nia",
    "Orla",
    "Priya",
    "Rosa",
    "Sienna",
    "Tia",
    "Una",
    "Violet",
    "Willow",
    "Yara",
    "Zara",
    "Aisha",
    "Brooke",
    "Chloe",
    "Darcey",
    "Elsie",
    "Fern",
    "Ivy",
    "Matilda",
    "Alexandra",
    "Elizabeth",
    "Katherine",
    "Rebecca",
    "Samantha",
)
MALE_GIVEN_NAMES: tuple[str, ...] = (
    "Alfie",
    "Bertie",
    "Callum",
    "Dev",
    "Ezra",
    "Femi",
    "George",
    "Hari",
    "Idris",
    "Jonah",
    "Kai",
    "Lars",
    "Milo",
    "Nico",
    "Olu",
    "Rory",
    "Stan",
    "Tariq",
    "Xander",
    "Yusuf",
    "Zach",
    "Archie",
    "Caleb",
    "Dylan",
    "Finn",
    "Harvey",
    "Leo",
    "Oscar",
    "Reggie",
    "Theo",
    "Jacob",
    "Alexander",
    "William",
    "Thomas",
    "Benjamin",
    "Joseph",
    "Daniel",
    "Nathaniel",
)
GIVEN_NAMES: tuple[str, ...] = FEMALE_GIVEN_NAMES + MALE_GIVEN_NAMES

# What a school or a youth worker might write instead of the registered name.
NICKNAMES: dict[str, str] = {
    "Matilda": "Tilly",
    "Alexandra": "Lexi",
    "Elizabeth": "Libby",
    "Katherine": "Kate",
    "Rebecca": "Becky",
    "Samantha": "Sam",
    "Jacob": "Jake",
    "Alexander": "Alex",
    "William": "Will",
    "Thomas": "Tom",
    "Benjamin": "Ben",
    "Joseph": "Joe",
    "Daniel": "Danny",
    "Nathaniel": "Nate",
    "Bethany": "Beth",
    "Jasmine": "Jas",
}

STREETS: tuple[str, ...] = (
    "Nowhere Lane",
    "Testing Road",
    "Placeholder Close",
    "Fictional Avenue",
    "Madeup Street",
    "Sample Crescent",
    "Dummy Row",
    "Pretend Gardens",
    "Example Way",
    "Imaginary Terrace",
    "Notreal Drive",
    "Mockup Mews",
    "Lorem Ipsum Walk",
    "Null Street",
    "Template Grove",
    "Sandbox Lane",
    "Prototype Place",
    "Specimen Square",
    "Draft Road",
    "Fakewell Court",
)
TOWNS: tuple[str, ...] = (
    "Fakeborough",
    "Little Testing",
    "Mockton",
    "Upper Madeup",
    "Placeholder-on-Sea",
    "Nowhere Magna",
)
REFUGE_STREET = "Sanctuary Yard"

# Postcode inward letters never include C, I, K, M, O or V.
_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


def is_fake_family_name(name: str) -> bool:
    """True when every part of a (possibly double-barrelled) family name is invented here."""
    return all(part in FAMILY_NAMES for part in name.split("-"))


def fake_postcode(rng: random.Random) -> str:
    """A postcode in ZZ99, the NHS pseudo-postcode area that no real address has."""
    letters = rng.choice(_INWARD_LETTERS) + rng.choice(_INWARD_LETTERS)
    return f"ZZ99 {rng.randint(1, 9)}{letters}"


def fake_address_lines(rng: random.Random) -> str:
    return f"{rng.randint(1, 180)} {rng.choice(STREETS)}\n{rng.choice(TOWNS)}\n{AREA}"


def refuge_address_lines(rng: random.Random) -> str:
    return f"Flat {rng.randint(1, 8)}, 1 {REFUGE_STREET}\n{rng.choice(TOWNS)}\n{AREA}"


def fake_phone(rng: random.Random) -> str:
    """A mobile number from Ofcom's range reserved for drama (07700 900000 to 900999)."""
    return f"07700 900{rng.randint(0, 999):03d}"


def fake_email(given_name: str, family_name: str) -> str:
    return f"{given_name}.{family_name}@example.com".lower().replace(" ", "")


def typo(rng: random.Random, name: str) -> str:
    """A realistic keying slip: two adjacent letters swapped, or one letter doubled."""
    if len(name) < 4:
        return name + name[-1]
    at = rng.randint(1, len(name) - 2)
    if rng.random() < 0.5:
        return name[:at] + name[at + 1] + name[at] + name[at + 2 :]
    return name[: at + 1] + name[at] + name[at + 1 :]
