//! The demo generator's randomness: splitmix64 and the made-up values drawn from it.

use super::words::*;
use crate::domain::Address;

/// splitmix64: small, fast and good enough for sample data; no dependency.
pub(super) struct Rng(pub(super) u64);

impl Rng {
    pub(super) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (`n > 0`).
    pub(super) fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next()) * u128::from(n)) >> 64) as u64
    }
    /// Uniform in `lo..=hi`.
    pub(super) fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }
    pub(super) fn percent(&mut self, p: u64) -> bool {
        self.below(100) < p
    }
    pub(super) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
    /// Picks from `(weight, item)` pairs.
    pub(super) fn weighted<'a, T>(&mut self, items: &'a [(u64, T)]) -> &'a T {
        let total: u64 = items.iter().map(|(w, _)| w).sum();
        let mut at = self.below(total);
        for (w, item) in items {
            if at < *w {
                return item;
            }
            at -= w;
        }
        &items[items.len() - 1].1
    }
}

/// Shares `total` linked cameras among `customers`, unevenly: most have a few, about one in
/// ten a few dozen, one in a hundred hundreds.
pub(super) fn spread(rng: &mut Rng, customers: u64, total: u64) -> Vec<u64> {
    let weights: Vec<u64> = (0..customers)
        .map(|_| match rng.below(100) {
            0 => rng.range(150, 600),
            1..10 => rng.range(10, 40),
            _ => {
                // Skewed towards the low end of 2..=20.
                let u = rng.below(1000);
                2 + u * u * 18 / 1_000_000
            }
        })
        .collect();
    let sum: u64 = weights.iter().sum::<u64>().max(1);
    let mut counts: Vec<u64> = weights
        .iter()
        .map(|&w| (u128::from(total) * u128::from(w) / u128::from(sum)) as u64)
        .collect();
    let mut left = total - counts.iter().sum::<u64>();
    let n = counts.len();
    if n == 0 {
        return counts;
    }
    let mut i = rng.below(n as u64) as usize;
    while left > 0 {
        counts[i % n] += 1;
        left -= 1;
        i += 1;
    }
    counts
}

pub(super) fn person(rng: &mut Rng, country: &Country) -> (&'static str, &'static str) {
    let (firsts, lasts) = country.people;
    (*rng.pick(firsts), *rng.pick(lasts))
}

/// Lower-case ASCII letters and digits of `s`, accents folded, everything else dropped.
pub(super) fn ascii_word(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars().flat_map(char::to_lowercase) {
        match ch {
            'a'..='z' | '0'..='9' => out.push(ch),
            'ä' => out.push_str("ae"),
            'ö' => out.push_str("oe"),
            'ü' => out.push_str("ue"),
            'ß' => out.push_str("ss"),
            'à' | 'á' | 'â' => out.push('a'),
            'é' | 'è' | 'ê' | 'ë' => out.push('e'),
            'î' | 'ï' => out.push('i'),
            'ô' => out.push('o'),
            'ù' | 'û' => out.push('u'),
            'ç' => out.push('c'),
            _ => {}
        }
    }
    if out.is_empty() {
        out.push('x');
    }
    out
}

pub(super) fn format_mac(mac: u64) -> String {
    let b = mac.to_be_bytes();
    format!(
        "{:02X}:{:02X}:{:02X}:{:02X}:{:02X}:{:02X}",
        b[2], b[3], b[4], b[5], b[6], b[7]
    )
}

/// A telephone number in the city's format, from the ranges set aside for fiction where the
/// country has them (555-01xx in North America, Ofcom's drama numbers in Britain).
pub(super) fn phone(rng: &mut Rng, city: &City) -> String {
    let area = city.area;
    match city.phone {
        PhoneStyle::NorthAmerica => format!("+1 ({area}) 555-01{:02}", rng.below(100)),
        PhoneStyle::Britain => format!("+44 {area} 0{:03}", rng.below(1000)),
        PhoneStyle::France => format!(
            "+33 {area} {:02} {:02} {:02} {:02}",
            rng.below(100),
            rng.below(100),
            rng.below(100),
            rng.below(100)
        ),
        PhoneStyle::Germany => format!("+49 {area} {}", rng.range(1_000_000, 9_999_999)),
    }
}

pub(super) fn address(rng: &mut Rng, country: &Country, city: &City) -> Address {
    let street = rng.pick(country.streets);
    let number = rng.range(1, if country.code == "US" { 9999 } else { 180 });
    let line1 = if country.number_after_street {
        format!("{street} {number}")
    } else {
        format!("{number} {street}")
    };
    let line2 = if rng.percent(25) {
        rng.pick(country.second_lines)
            .replace('#', &rng.range(1, 30).to_string())
    } else {
        String::new()
    };
    let postal_code = match city.postal {
        Postal::Digits(prefix, width) => {
            let rest = width - prefix.len();
            let max = 10u64.pow(rest as u32);
            format!("{prefix}{:0rest$}", rng.below(max))
        }
        Postal::Canada(fsa) => {
            let letter = (b'A' + rng.below(26) as u8) as char;
            format!("{fsa} {}{letter}{}", rng.below(10), rng.below(10))
        }
        Postal::Britain(outward) => {
            let l1 = b"ABDEFGHJLNPQRSTUWXYZ"[rng.below(20) as usize] as char;
            let l2 = b"ABDEFGHJLNPQRSTUWXYZ"[rng.below(20) as usize] as char;
            format!("{} {}{l1}{l2}", rng.pick(outward), rng.below(10))
        }
    };
    Address {
        line1,
        line2,
        city: city.name.into(),
        state: city.state.into(),
        postal_code,
        country: country.code.into(),
    }
}

pub(super) fn tax_id(rng: &mut Rng, country: &str) -> String {
    match country {
        "US" => format!("{:02}-{:07}", rng.range(10, 99), rng.below(10_000_000)),
        "CA" => format!("{:09} RT0001", rng.range(100_000_000, 999_999_999)),
        "GB" => format!("GB{:09}", rng.range(100_000_000, 999_999_999)),
        "FR" => format!(
            "FR{:02}{:09}",
            rng.below(100),
            rng.range(100_000_000, 999_999_999)
        ),
        _ => format!("DE{:09}", rng.range(100_000_000, 999_999_999)),
    }
}
