//! The word lists the demo data is made of: plans, vendors, names, cities, countries.

use crate::domain::Role;

/// Name, retention days, mode, price per camera per month in cents (USD).
pub(super) const PLANS: [(&str, i64, &str, i64); 6] = [
    ("Basic 7 days event", 7, "event", 499),
    ("Standard 30", 30, "continuous", 999),
    ("Standard 30 event", 30, "event", 799),
    ("Pro 90", 90, "continuous", 1999),
    ("Enterprise 180", 180, "continuous", 3499),
    ("Compliance 365", 365, "continuous", 5999),
];

pub(super) static OWNER: std::sync::LazyLock<Role> = std::sync::LazyLock::new(Role::owner);
pub(super) static ADMIN: std::sync::LazyLock<Role> = std::sync::LazyLock::new(Role::admin);

pub(super) const GUARD_ROLES: &[(&str, &str)] = &[
    (
        "Night guards",
        "Night-shift guards: live view of the chosen cameras",
    ),
    (
        "Night guards",
        "Night-shift guards: live view of the chosen cameras",
    ),
    ("Day guards", "Day-shift guards at the front desk"),
    ("Front desk", "Reception staff: entrances and lobby"),
    ("Patrol", "Mobile patrol: perimeter and parking"),
];

pub(super) enum SerialStyle {
    /// Axis prints the MAC address as the serial number.
    Mac,
    /// A fixed prefix and a zero-padded counter of this many digits.
    Prefixed(&'static str, usize),
}

pub(super) struct Vendor {
    /// Indexes into [`OUIS`].
    pub(super) ouis: &'static [usize],
    pub(super) models: &'static [&'static str],
    pub(super) serial: SerialStyle,
}

/// Organisationally unique identifiers of the vendors below.
pub(super) const OUIS: [u32; 13] = [
    0x00408C, 0xACCC8E, 0xB8A44F, // Axis
    0x000918, 0xE43022, // Hanwha
    0x4419B6, 0xBCAD28, 0xC056E3, // Hikvision
    0x3CEF8C, 0xE0508B, // Dahua
    0x00075F, 0x000463, // Bosch
    0x001885, // Avigilon
];

pub(super) const VENDORS: [Vendor; 6] = [
    Vendor {
        ouis: &[0, 1, 2],
        models: &[
            "Axis P3245-LVE",
            "Axis M3106-L Mk II",
            "Axis Q6135-LE",
            "Axis P1465-LE",
            "Axis M2036-LE",
            "Axis P3727-PLE",
            "Axis Q1656-LE",
        ],
        serial: SerialStyle::Mac,
    },
    Vendor {
        ouis: &[3, 4],
        models: &[
            "Hanwha XNV-8080R",
            "Hanwha XND-6080RV",
            "Hanwha QNV-7082R",
            "Hanwha PNM-9084RQZ",
            "Hanwha XNO-6120R",
            "Hanwha QND-8020R",
        ],
        serial: SerialStyle::Prefixed("ZC7L", 8),
    },
    Vendor {
        ouis: &[5, 6, 7],
        models: &[
            "Hikvision DS-2CD2143G2-I",
            "Hikvision DS-2CD2387G2-LU",
            "Hikvision DS-2DE4425IW-DE",
            "Hikvision DS-2CD2T47G2-L",
            "Hikvision DS-2CD2347G2-LU",
        ],
        serial: SerialStyle::Prefixed("K", 8),
    },
    Vendor {
        ouis: &[8, 9],
        models: &[
            "Dahua IPC-HFW2431S-S-S2",
            "Dahua IPC-HDBW2831E-S",
            "Dahua SD49425XB-HNR",
            "Dahua IPC-HFW3849T1-AS-PV",
        ],
        serial: SerialStyle::Prefixed("8D0", 10),
    },
    Vendor {
        ouis: &[10, 11],
        models: &[
            "Bosch FLEXIDOME IP 5000i",
            "Bosch DINION IP 3000i",
            "Bosch AUTODOME IP 4000i",
            "Bosch MIC IP starlight 7100i",
        ],
        serial: SerialStyle::Prefixed("0442", 9),
    },
    Vendor {
        ouis: &[12],
        models: &[
            "Avigilon H5A Bullet 4MP",
            "Avigilon H5SL Dome 2MP",
            "Avigilon H6A Fisheye",
        ],
        serial: SerialStyle::Prefixed("AV", 10),
    },
];

#[rustfmt::skip]
pub(super) const CAMERA_NAMES: &[&str] = &[
    "Lobby entrance", "Front door", "Back door", "Reception", "Main entrance", "Parking lot north",
    "Parking lot south", "Loading dock 1", "Loading dock 2", "Loading dock 3", "Warehouse aisle 1",
    "Warehouse aisle 2", "Warehouse aisle 3", "Warehouse aisle 4", "Cash register 1",
    "Cash register 2", "Stock room", "Server room", "Hallway east", "Hallway west", "Stairwell A",
    "Stairwell B", "Elevator lobby", "Rooftop", "Perimeter fence", "Gate 1", "Gate 2",
    "Garage entrance", "Break room", "Office corridor", "Shipping area", "Receiving area", "Yard",
    "Bike storage", "Side entrance", "Drive-through", "Fuel pumps", "Dumpster area",
    "Conference room", "Production floor", "Cold room", "Safe room",
];

#[rustfmt::skip]
pub(super) const LOCATIONS: &[&str] = &[
    "Main building", "Building B", "North wing", "South wing", "Ground floor", "1st floor",
    "2nd floor", "Basement", "Warehouse", "Parking structure", "Exterior", "Annex", "",
];

#[rustfmt::skip]
pub(super) const STOCK_LOCATIONS: &[&str] = &[
    "Integrator stock", "Shelf B3", "Van 2", "Returned from site", "Pre-staged", "",
];

#[rustfmt::skip]
pub(super) const COMPANY_WORDS: &[&str] = &[
    "Northwind", "Harbor View", "Summit", "Pinecrest", "Bluewater", "Cedar Ridge", "Lakeside",
    "Silver Oak", "Redwood", "Maple Leaf", "Granite", "Ironwood", "Evergreen", "Riverbend",
    "Westfield", "Eastgate", "Highland", "Sunrise", "Brightwater", "Oakmont", "Stonebridge",
    "Clearview", "Blue Harbor", "Coastal", "Prairie", "Timberline", "Copper Canyon", "Willow Creek",
    "Falcon", "Eagle Point", "Liberty", "Pioneer", "Heritage", "Crescent", "Meridian", "Keystone",
    "Beacon", "Anchor", "Compass", "Atlas", "Apex", "Vertex", "Horizon", "Sterling", "Windsor",
    "Kingsley", "Ashford", "Hawthorne", "Brookside", "Fairview", "Greenfield", "Parkside",
    "Hillcrest", "Bayside", "Northgate", "Southpoint", "Riverside", "Lakeview", "Mountain View",
    "Sandstone", "Cobalt", "Juniper", "Magnolia", "Sequoia", "Aspen", "Cypress", "Birchwood",
    "Elmwood", "Kestrel", "Osprey", "Heron", "Mariner", "Quarry", "Orchard", "Union Square",
    "Bridgeport", "Foxhollow", "Silverline", "Red Rock", "Tidewater",
];

#[rustfmt::skip]
pub(super) const TRADES: &[&str] = &[
    "Dental", "Logistics", "Storage", "Auto Repair", "Pharmacy", "Bakery", "Realty",
    "Property Management", "Veterinary Clinic", "Fitness", "Medical Center", "Family Practice",
    "Law Group", "Accounting", "Construction", "Builders", "Hardware", "Garden Center",
    "Brewing Company", "Coffee Roasters", "Market", "Grocers", "Motors", "Self Storage", "Freight",
    "Distribution", "Cold Storage", "Manufacturing", "Plastics", "Metalworks", "Printing", "Hotel",
    "Inn", "Apartments", "Condominiums", "Marina", "Golf Club", "Academy", "Day Care",
    "Credit Union", "Insurance", "Car Wash", "Fuel Stop", "Diner", "Bistro", "Pizzeria", "Salon",
    "Spa", "Pet Supply", "Furniture", "Electronics", "Jewelers", "Optometry", "Chiropractic",
    "Physical Therapy", "Senior Living", "Cinema", "Lanes", "Outfitters", "Farms",
];

#[rustfmt::skip]
pub(super) const INTEGRATOR_TRADES: &[&str] = &[
    "Security", "Security Systems", "Alarm & Video", "Integrated Security", "Surveillance",
    "Protection Services", "Security Solutions", "Video Systems", "Safety & Security",
    "Access & Video",
];

pub(super) const NOTES: &[&str] = &[
    "Gate code 4512#; call the site manager before any visit.",
    "Prefers e-mail over phone.",
    "Night supervisor on site after 10 pm.",
    "Renewal discussed for next quarter.",
    "Two cameras on the roof need a lift to reach.",
    "Invoices go to the head office, not the site.",
    "Keys held by the property manager.",
];

pub(super) struct City {
    pub(super) name: &'static str,
    pub(super) state: &'static str,
    pub(super) time_zone: &'static str,
    pub(super) area: &'static str,
    pub(super) phone: PhoneStyle,
    pub(super) postal: Postal,
}

#[derive(Clone, Copy)]
pub(super) enum PhoneStyle {
    NorthAmerica,
    Britain,
    France,
    Germany,
}

#[derive(Clone, Copy)]
pub(super) enum Postal {
    /// A fixed prefix completed with random digits to this width.
    Digits(&'static str, usize),
    /// A forward sortation area, completed as "M5V 2T6".
    Canada(&'static str),
    /// Outward codes, completed as "EC1A 1BB".
    Britain(&'static [&'static str]),
}

pub(super) struct Country {
    pub(super) code: &'static str,
    pub(super) tld: &'static str,
    pub(super) cities: &'static [City],
    pub(super) streets: &'static [&'static str],
    pub(super) number_after_street: bool,
    pub(super) second_lines: &'static [&'static str],
    pub(super) legal_forms: &'static [&'static str],
    pub(super) people: (&'static [&'static str], &'static [&'static str]),
}

pub(super) const fn us(
    name: &'static str,
    state: &'static str,
    tz: &'static str,
    area: &'static str,
    zip: &'static str,
) -> City {
    City {
        name,
        state,
        time_zone: tz,
        area,
        phone: PhoneStyle::NorthAmerica,
        postal: Postal::Digits(zip, 5),
    }
}

pub(super) const fn ca(
    name: &'static str,
    state: &'static str,
    tz: &'static str,
    area: &'static str,
    fsa: &'static str,
) -> City {
    City {
        name,
        state,
        time_zone: tz,
        area,
        phone: PhoneStyle::NorthAmerica,
        postal: Postal::Canada(fsa),
    }
}

pub(super) const fn gb(
    name: &'static str,
    state: &'static str,
    area: &'static str,
    outward: &'static [&'static str],
) -> City {
    City {
        name,
        state,
        time_zone: "Europe/London",
        area,
        phone: PhoneStyle::Britain,
        postal: Postal::Britain(outward),
    }
}

pub(super) const fn fr(
    name: &'static str,
    state: &'static str,
    area: &'static str,
    cp: &'static str,
) -> City {
    City {
        name,
        state,
        time_zone: "Europe/Paris",
        area,
        phone: PhoneStyle::France,
        postal: Postal::Digits(cp, 5),
    }
}

pub(super) const fn de(
    name: &'static str,
    state: &'static str,
    area: &'static str,
    plz: &'static str,
) -> City {
    City {
        name,
        state,
        time_zone: "Europe/Berlin",
        area,
        phone: PhoneStyle::Germany,
        postal: Postal::Digits(plz, 5),
    }
}

#[rustfmt::skip]
pub(super) const ENGLISH_FIRST: &[&str] = &[
    "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David",
    "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah",
    "Christopher", "Karen", "Daniel", "Lisa", "Matthew", "Nancy", "Anthony", "Sandra", "Mark",
    "Ashley", "Steven", "Emily", "Andrew", "Michelle", "Kevin", "Amanda", "Brian", "Melissa",
    "Priya", "Wei", "Carlos", "Maria", "Ahmed", "Fatima", "Hiroshi", "Olga", "Diego", "Aisha",
    "Liam", "Olivia", "Noah", "Emma",
];

#[rustfmt::skip]
pub(super) const ENGLISH_LAST: &[&str] = &[
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
    "Martinez", "Hernandez", "Lopez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson",
    "Martin", "Lee", "Thompson", "White", "Harris", "Clark", "Lewis", "Robinson", "Walker", "Young",
    "Allen", "King", "Wright", "Scott", "Nguyen", "Patel", "Kim", "Chen", "O'Brien", "Murphy",
    "Campbell", "Evans", "Hughes", "Singh", "Kowalski", "Cohen", "Okafor",
];

#[rustfmt::skip]
pub(super) const FRENCH_FIRST: &[&str] = &[
    "Camille", "Léa", "Manon", "Chloé", "Inès", "Hélène", "Julien", "Nicolas", "Thomas", "Antoine",
    "Mathieu", "François", "Émilie", "Sébastien", "Céline", "Pierre", "Luc", "Margaux", "Théo",
    "Lucas",
];

#[rustfmt::skip]
pub(super) const FRENCH_LAST: &[&str] = &[
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
    "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David", "Bertrand", "Roux",
    "Vincent", "Fournier",
];

#[rustfmt::skip]
pub(super) const GERMAN_FIRST: &[&str] = &[
    "Lukas", "Jonas", "Leon", "Finn", "Paul", "Maximilian", "Jürgen", "Stefan", "Andreas", "Anna",
    "Lena", "Sophie", "Marie", "Katharina", "Julia", "Sabine", "Monika", "Jörg", "Uwe", "Björn",
];

#[rustfmt::skip]
pub(super) const GERMAN_LAST: &[&str] = &[
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz",
    "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann",
    "Schwarz", "Zimmermann",
];

#[rustfmt::skip]
pub(super) const NORTH_AMERICAN_STREETS: &[&str] = &[
    "Market Street", "Main Street", "Oak Avenue", "Maple Drive", "Industrial Parkway",
    "Commerce Boulevard", "Harbor Road", "Elm Street", "Washington Avenue", "Lake Shore Drive",
    "Park Avenue", "Broadway", "Cedar Lane", "Mission Street", "2nd Street", "5th Avenue",
    "Pine Street", "Airport Road", "Technology Drive", "River Road",
];

pub(super) const NORTH_AMERICAN_SECOND: &[&str] = &["Suite #00", "Unit #", "Floor #", "Building B"];

pub(super) const COUNTRIES: &[(u64, Country)] = &[
    (
        60,
        Country {
            code: "US",
            tld: "com",
            cities: &[
                us("New York", "NY", "America/New_York", "212", "100"),
                us("Brooklyn", "NY", "America/New_York", "718", "112"),
                us("Boston", "MA", "America/New_York", "617", "021"),
                us("Philadelphia", "PA", "America/New_York", "215", "191"),
                us("Atlanta", "GA", "America/New_York", "404", "303"),
                us("Miami", "FL", "America/New_York", "305", "331"),
                us("Detroit", "MI", "America/Detroit", "313", "482"),
                us("Chicago", "IL", "America/Chicago", "312", "606"),
                us("Houston", "TX", "America/Chicago", "713", "770"),
                us("Austin", "TX", "America/Chicago", "512", "787"),
                us("Dallas", "TX", "America/Chicago", "214", "752"),
                us("Minneapolis", "MN", "America/Chicago", "612", "554"),
                us("Nashville", "TN", "America/Chicago", "615", "372"),
                us("Denver", "CO", "America/Denver", "303", "802"),
                us("Phoenix", "AZ", "America/Phoenix", "602", "850"),
                us("Los Angeles", "CA", "America/Los_Angeles", "213", "900"),
                us("San Francisco", "CA", "America/Los_Angeles", "415", "941"),
                us("San Diego", "CA", "America/Los_Angeles", "619", "921"),
                us("Seattle", "WA", "America/Los_Angeles", "206", "981"),
                us("Portland", "OR", "America/Los_Angeles", "503", "972"),
            ],
            streets: NORTH_AMERICAN_STREETS,
            number_after_street: false,
            second_lines: NORTH_AMERICAN_SECOND,
            legal_forms: &["", "", "LLC", "Inc.", "Co.", "Group"],
            people: (ENGLISH_FIRST, ENGLISH_LAST),
        },
    ),
    (
        12,
        Country {
            code: "CA",
            tld: "ca",
            cities: &[
                ca("Toronto", "ON", "America/Toronto", "416", "M5V"),
                ca("Ottawa", "ON", "America/Toronto", "613", "K1P"),
                ca("Montreal", "QC", "America/Toronto", "514", "H3B"),
                ca("Vancouver", "BC", "America/Vancouver", "604", "V6B"),
                ca("Calgary", "AB", "America/Edmonton", "403", "T2P"),
                ca("Halifax", "NS", "America/Halifax", "902", "B3J"),
            ],
            streets: NORTH_AMERICAN_STREETS,
            number_after_street: false,
            second_lines: NORTH_AMERICAN_SECOND,
            legal_forms: &["", "", "Inc.", "Ltd."],
            people: (ENGLISH_FIRST, ENGLISH_LAST),
        },
    ),
    (
        12,
        Country {
            code: "GB",
            tld: "co.uk",
            cities: &[
                gb(
                    "London",
                    "Greater London",
                    "20 7946",
                    &["EC1A", "SW1A", "W1D", "E14", "N1"],
                ),
                gb("Manchester", "Greater Manchester", "161 496", &["M1", "M4"]),
                gb("Birmingham", "West Midlands", "121 496", &["B1", "B3"]),
                gb("Leeds", "West Yorkshire", "113 496", &["LS1", "LS2"]),
                gb("Bristol", "Bristol", "117 496", &["BS1", "BS2"]),
                gb("Edinburgh", "Scotland", "131 496", &["EH1", "EH2"]),
            ],
            streets: &[
                "High Street",
                "Station Road",
                "Church Lane",
                "Victoria Road",
                "Mill Lane",
                "King Street",
                "Queen Street",
                "Park Road",
                "London Road",
                "Bridge Street",
            ],
            number_after_street: false,
            second_lines: &["Unit #", "Floor #", "Suite #"],
            legal_forms: &["Ltd", "Ltd", "", "Group"],
            people: (ENGLISH_FIRST, ENGLISH_LAST),
        },
    ),
    (
        8,
        Country {
            code: "FR",
            tld: "fr",
            cities: &[
                fr("Paris", "Île-de-France", "1", "750"),
                fr("Lyon", "Auvergne-Rhône-Alpes", "4", "690"),
                fr("Marseille", "Provence-Alpes-Côte d'Azur", "4", "130"),
                fr("Toulouse", "Occitanie", "5", "310"),
                fr("Bordeaux", "Nouvelle-Aquitaine", "5", "330"),
                fr("Lille", "Hauts-de-France", "3", "590"),
                fr("Nantes", "Pays de la Loire", "2", "440"),
            ],
            streets: &[
                "rue de la République",
                "avenue Jean Jaurès",
                "rue Victor Hugo",
                "boulevard Haussmann",
                "rue du Commerce",
                "avenue de la Gare",
                "rue Pasteur",
                "quai des Chartrons",
            ],
            number_after_street: false,
            second_lines: &["Bâtiment B", "#e étage", "Zone d'activités"],
            legal_forms: &["SARL", "SAS", ""],
            people: (FRENCH_FIRST, FRENCH_LAST),
        },
    ),
    (
        8,
        Country {
            code: "DE",
            tld: "de",
            cities: &[
                de("Berlin", "Berlin", "30", "101"),
                de("München", "Bayern", "89", "803"),
                de("Hamburg", "Hamburg", "40", "200"),
                de("Frankfurt am Main", "Hessen", "69", "603"),
                de("Köln", "Nordrhein-Westfalen", "221", "506"),
                de("Stuttgart", "Baden-Württemberg", "711", "701"),
            ],
            streets: &[
                "Hauptstraße",
                "Bahnhofstraße",
                "Industriestraße",
                "Gartenstraße",
                "Schillerstraße",
                "Goethestraße",
                "Am Hafen",
                "Lindenallee",
            ],
            number_after_street: true,
            second_lines: &["Hinterhaus", "#. OG", "Halle #"],
            legal_forms: &["GmbH", "GmbH", "AG", "KG"],
            people: (GERMAN_FIRST, GERMAN_LAST),
        },
    ),
];
