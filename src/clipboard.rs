//! Copy to the operator's clipboard with OSC 52: the terminal emulator on the operator's own
//! machine sets its clipboard, so it works through SSH; inside tmux the sequence is wrapped in
//! tmux's passthrough so it reaches the outer terminal.

/// The escape sequence that puts `text` on the clipboard; write it to the terminal.
/// Wrapped for tmux when `$TMUX` is set.
pub fn osc52(text: &str) -> String {
    osc52_for(
        text,
        std::env::var_os("TMUX").is_some_and(|v| !v.is_empty()),
    )
}

/// [`osc52`] with the tmux decision made by the caller.
pub fn osc52_for(text: &str, tmux: bool) -> String {
    let seq = format!("\x1b]52;c;{}\x07", base64(text.as_bytes()));
    if tmux {
        // tmux passes `ESC P tmux; ... ESC \` through with every ESC inside doubled.
        format!("\x1bPtmux;{}\x1b\\", seq.replace('\x1b', "\x1b\x1b"))
    } else {
        seq
    }
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc4648_vectors() {
        for (plain, enc) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), enc);
        }
    }

    #[test]
    fn plain_and_tmux_sequences() {
        assert_eq!(osc52_for("a@b.co", false), "\x1b]52;c;YUBiLmNv\x07");
        assert_eq!(
            osc52_for("a@b.co", true),
            "\x1bPtmux;\x1b\x1b]52;c;YUBiLmNv\x07\x1b\\"
        );
    }
}
