//! Counts written in words agree in number: "1 camera", "0 cameras", "2 cameras".

use std::fmt::Display;

/// `n` and the noun, singular for exactly one: `count(1, "user")` is "1 user".
pub fn count<N>(n: N, noun: &str) -> String
where
    N: Copy + PartialEq + From<u8> + Display,
{
    if n == N::from(1) {
        format!("{n} {noun}")
    } else {
        format!("{n} {}", plural(noun))
    }
}

/// The plural of a regular English noun: "camera" → "cameras", "entry" → "entries".
pub fn plural(noun: &str) -> String {
    let mut chars = noun.chars().rev();
    match (chars.next(), chars.next()) {
        (Some('y'), Some(c)) if !"aeiou".contains(c) => format!("{}ies", &noun[..noun.len() - 1]),
        (Some('s' | 'x'), _) => format!("{noun}es"),
        _ => format!("{noun}s"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_is_singular_every_other_count_plural() {
        assert_eq!(count(1usize, "customer"), "1 customer");
        assert_eq!(count(0i64, "camera"), "0 cameras");
        assert_eq!(count(2u64, "user"), "2 users");
        assert_eq!(count(3usize, "entry"), "3 entries");
        assert_eq!(count(2usize, "key"), "2 keys");
    }
}
