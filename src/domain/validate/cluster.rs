//! Grapheme clusters drawn so that the program and every terminal agree on their width.
//!
//! Terminals count most text one code point at a time (wcwidth), while a grapheme-aware width
//! (unicode-width, ratatui) gives emoji sequences the width of one emoji. They disagree on flag
//! pairs, emoji with skin-tone modifiers, ZWJ sequences, keycaps and variation selectors, and on
//! the halfwidth katakana sound marks; cells the program believes covered are then never
//! rewritten. Such a cluster is drawn as its base character padded with spaces to the width the
//! program gives the cluster, or as a replacement of known width (flags as their two letters).
//! Everything left is width-stable: a cluster's width is the sum of the widths of its characters.

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

const ZWJ: char = '\u{200d}';
const KEYCAP: char = '\u{20e3}';

/// Whether `c` is an emoji that a zero-width joiner may join: Extended_Pictographic, close
/// enough for names (the emoji blocks, dingbats, arrows and symbols that have emoji forms).
pub fn is_pictographic(c: char) -> bool {
    matches!(c,
        '\u{a9}' | '\u{ae}' | '\u{203c}' | '\u{2049}' | '\u{2122}' | '\u{2139}'
        | '\u{2194}'..='\u{2199}' | '\u{21a9}' | '\u{21aa}'
        | '\u{231a}'..='\u{23ff}'
        | '\u{24c2}' | '\u{25aa}'..='\u{25fe}'
        | '\u{2600}'..='\u{27bf}'
        | '\u{2934}' | '\u{2935}' | '\u{2b05}'..='\u{2b55}'
        | '\u{3030}' | '\u{303d}' | '\u{3297}' | '\u{3299}'
        | '\u{1f000}'..='\u{1f1e5}'
        | '\u{1f200}'..='\u{1f3fa}'
        | '\u{1f400}'..='\u{1faff}'
    )
}

fn is_regional_indicator(c: char) -> bool {
    ('\u{1f1e6}'..='\u{1f1ff}').contains(&c)
}

/// The letter a regional indicator stands for.
fn letter(c: char) -> char {
    char::from_u32(u32::from('A') + (c as u32 - 0x1f1e6)).unwrap_or('?')
}

fn is_skin_tone(c: char) -> bool {
    ('\u{1f3fb}'..='\u{1f3ff}').contains(&c)
}

fn is_variation_selector(c: char) -> bool {
    matches!(c, '\u{fe00}'..='\u{fe0f}' | '\u{e0100}'..='\u{e01ef}')
}

/// Characters whose width terminals disagree on, alone or beside a base.
fn is_disputed(c: char) -> bool {
    c == ZWJ
        || c == KEYCAP
        || is_regional_indicator(c)
        || is_skin_tone(c)
        || is_variation_selector(c)
        || matches!(c, '\u{ff9e}' | '\u{ff9f}')
}

/// Whether the zero-width joiner at char index `i` of `chars` joins two emoji: an emoji
/// (perhaps with a variation selector or skin tone) before it and an emoji after it.
pub fn is_emoji_joiner(chars: &[char], i: usize) -> bool {
    let after = chars.get(i + 1).copied().is_some_and(is_pictographic);
    let before = chars[..i]
        .iter()
        .rev()
        .find(|&&c| !is_variation_selector(c) && !is_skin_tone(c))
        .copied()
        .is_some_and(is_pictographic);
    chars.get(i) == Some(&ZWJ) && before && after
}

/// Whether `s` may hold a cluster that must be redrawn; false for almost all text.
pub fn needs_care(s: &str) -> bool {
    s.chars().any(is_disputed)
}

fn char_width(c: char) -> usize {
    c.width().unwrap_or(0)
}

/// Whether the program and a terminal counting code points agree on the width of `cluster`.
pub fn is_width_stable(cluster: &str) -> bool {
    !cluster.chars().any(is_disputed)
        && cluster.width() == cluster.chars().map(char_width).sum::<usize>()
}

/// Pushes each grapheme cluster of `s` onto `out`, width-stable. `escape` pushes a visible
/// escape for a character that may not be drawn and returns true, or returns false.
pub fn push_stable(out: &mut String, s: &str, escape: &dyn Fn(&mut String, char) -> bool) {
    for cluster in s.graphemes(true) {
        push_cluster(out, cluster, escape);
    }
}

fn push_cluster(out: &mut String, cluster: &str, escape: &dyn Fn(&mut String, char) -> bool) {
    let chars: Vec<char> = cluster.chars().collect();
    if chars.iter().all(|&c| is_regional_indicator(c)) {
        // A flag: its two letters, which every terminal draws in two cells.
        for &c in &chars {
            out.push(letter(c));
        }
        return;
    }
    let start = out.len();
    for (i, &c) in chars.iter().enumerate() {
        if c == ZWJ && is_emoji_joiner(&chars, i) {
            // The base emoji stands for the whole sequence.
            break;
        }
        if escape(out, c) {
            continue;
        }
        match c {
            // Halfwidth sound marks alone: their fullwidth spacing forms (two cells).
            '\u{ff9e}' => out.push('\u{309b}'),
            '\u{ff9f}' => out.push('\u{309c}'),
            _ if i > 0 && is_disputed(c) => {}
            _ if is_disputed(c) => out.push(if is_regional_indicator(c) {
                letter(c)
            } else {
                '\u{fffd}'
            }),
            _ => out.push(c),
        }
    }
    if !is_width_stable(&out[start..]) {
        // Whatever else: the base alone.
        out.truncate(start);
        let base = chars[0];
        if !escape(out, base) {
            out.push(if char_width(base) > 0 && !is_disputed(base) {
                base
            } else {
                '\u{fffd}'
            });
        }
    }
    // Padded to the width the cluster was given, so columns stay where they were meant to be.
    for _ in out[start..].width()..cluster.width() {
        out.push(' ');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stable(s: &str) -> String {
        let mut out = String::new();
        push_stable(&mut out, s, &|_, _| false);
        out
    }

    #[test]
    fn disputed_sequences_become_their_base() {
        assert_eq!(stable("🇺🇸🇷🇺🇸 🇦🇫🇦🇲🇸"), "USRUS AFAMS");
        assert_eq!(stable("✋🏿 💪🏿"), "✋ 💪");
        assert_eq!(stable("👨‍👩‍👦"), "👨");
        assert_eq!(stable("0️⃣"), "0 ");
        assert_eq!(stable("❤️"), "❤ ");
        assert_eq!(stable("ﾟ･✿"), "゜･✿");
        assert_eq!(stable("e\u{301}"), "e\u{301}");
    }
}
