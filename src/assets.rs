//! Data the program ships: the ISO 3166-1 countries and the IANA time zones an operator picks from.

use std::sync::OnceLock;

const COUNTRIES_TSV: &str = include_str!("../assets/countries.tsv");
const TIME_ZONES_TXT: &str = include_str!("../assets/timezones.txt");
/// country code, state/province code, its name, its time zone: for countries with several.
const STATE_ZONES_TSV: &str = include_str!("../assets/state_zones.tsv");

/// One ISO 3166-1 country: its alpha-2 code and its short English name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Country {
    pub code: &'static str,
    pub name: &'static str,
}

/// Every ISO 3166-1 country, ordered by name as a picker shows them.
pub fn countries() -> &'static [Country] {
    static COUNTRIES: OnceLock<Vec<Country>> = OnceLock::new();
    COUNTRIES.get_or_init(|| {
        COUNTRIES_TSV
            .lines()
            .filter(|line| !line.trim().is_empty())
            .filter_map(|line| line.split_once('\t'))
            .map(|(code, name)| Country {
                code: code.trim(),
                name: name.trim(),
            })
            .collect()
    })
}

/// The name of the country with this alpha-2 code (any case), if there is one.
pub fn country_name(code: &str) -> Option<&'static str> {
    let code = code.trim();
    countries()
        .iter()
        .find(|c| c.code.eq_ignore_ascii_case(code))
        .map(|c| c.name)
}

/// The canonical IANA time zone names (those of `zone.tab`) and `UTC`, sorted.
pub fn time_zones() -> &'static [&'static str] {
    static ZONES: OnceLock<Vec<&'static str>> = OnceLock::new();
    ZONES.get_or_init(|| {
        TIME_ZONES_TXT
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .collect()
    })
}

/// Whether `name` is one of [`time_zones`], exactly as spelled there.
pub fn is_time_zone(name: &str) -> bool {
    time_zones().binary_search(&name).is_ok()
}

/// The time zone of a state or province of a country that has several, by its code or its name
/// (any case; "Calif." or "calif" do not match, "CA" and "California" do).
pub fn state_time_zone(country: &str, state: &str) -> Option<&'static str> {
    let (country, state) = (country.trim(), state.trim());
    if state.is_empty() {
        return None;
    }
    STATE_ZONES_TSV
        .lines()
        .filter_map(|line| {
            let mut cols = line.split('\t');
            Some((cols.next()?, cols.next()?, cols.next()?, cols.next()?))
        })
        .find(|(c, code, name, _)| {
            c.eq_ignore_ascii_case(country)
                && (code.eq_ignore_ascii_case(state) || name.to_lowercase() == state.to_lowercase())
        })
        .map(|(_, _, _, zone)| zone)
        .filter(|zone| is_time_zone(zone))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn states_of_countries_with_several_zones_have_theirs() {
        assert_eq!(state_time_zone("US", "CA"), Some("America/Los_Angeles"));
        assert_eq!(
            state_time_zone("us", " california "),
            Some("America/Los_Angeles")
        );
        assert_eq!(state_time_zone("CA", "BC"), Some("America/Vancouver"));
        assert_eq!(state_time_zone("AU", "WA"), Some("Australia/Perth"));
        assert_eq!(state_time_zone("BR", "AM"), Some("America/Manaus"));
        assert_eq!(
            state_time_zone("MX", "Baja California"),
            Some("America/Tijuana")
        );
        assert_eq!(
            state_time_zone("RU", "Kaliningrad Oblast"),
            Some("Europe/Kaliningrad")
        );
        assert_eq!(state_time_zone("US", "Atlantis"), None);
        assert_eq!(state_time_zone("FR", "CA"), None);
        for line in STATE_ZONES_TSV.lines() {
            let zone = line.split('\t').nth(3).expect("four columns");
            assert!(is_time_zone(zone), "{line}");
        }
    }

    #[test]
    fn country_count_is_plausible_and_codes_are_unique() {
        let all = countries();
        assert!(all.len() > 240, "only {} countries", all.len());
        let codes: HashSet<_> = all.iter().map(|c| c.code).collect();
        assert_eq!(codes.len(), all.len(), "duplicate country code");
        let names: HashSet<_> = all.iter().map(|c| c.name).collect();
        assert_eq!(names.len(), all.len(), "duplicate country name");
    }

    #[test]
    fn country_codes_are_two_upper_case_letters() {
        for c in countries() {
            assert_eq!(c.code.len(), 2, "{c:?}");
            assert!(c.code.bytes().all(|b| b.is_ascii_uppercase()), "{c:?}");
            assert!(!c.name.is_empty(), "{c:?}");
        }
    }

    #[test]
    fn known_countries_are_present() {
        assert_eq!(country_name("US"), Some("United States"));
        assert_eq!(country_name("fr"), Some("France"));
        assert_eq!(country_name("DE"), Some("Germany"));
        assert_eq!(country_name("CI"), Some("Côte d'Ivoire"));
        assert_eq!(country_name("XX"), None);
        assert_eq!(country_name(""), None);
    }

    #[test]
    fn time_zone_count_is_plausible_sorted_and_unique() {
        let zones = time_zones();
        assert!(zones.len() > 300, "only {} zones", zones.len());
        assert!(
            zones.windows(2).all(|w| w[0] < w[1]),
            "not sorted or duplicated"
        );
    }

    #[test]
    fn known_time_zones_are_present() {
        for name in [
            "UTC",
            "Europe/Paris",
            "America/New_York",
            "Asia/Tokyo",
            "Europe/Kyiv",
        ] {
            assert!(is_time_zone(name), "{name} missing");
        }
        assert!(!is_time_zone("Mars/Olympus_Mons"));
        assert!(!is_time_zone("europe/paris"));
    }
}
