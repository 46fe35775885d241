//! 统一社会信用代码 — the Unified Social Credit Code (GB 32100-2015).

use serde::{Deserialize, Serialize};
use std::fmt;

const ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/// A code that passed every check: 18 characters from the alphabet, a known check character.
/// The field is private so a `Uscc` can only come from [`Uscc::parse`].
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Uscc(String);

/// Why a string is not a USCC. Each variant maps to one translated message.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum UsccError {
    #[error("empty")]
    Empty,
    #[error("must be 18 characters, got {0}")]
    Length(usize),
    #[error("character {ch:?} at position {pos} is not allowed")]
    BadChar { pos: usize, ch: char },
    #[error("check character should be {expected}, got {actual}")]
    CheckChar { expected: char, actual: char },
}

fn value_of(c: u8) -> Option<u32> {
    ALPHABET.iter().position(|&a| a == c).map(|p| p as u32)
}

/// The check character for the first 17 characters (which must be in the alphabet).
pub fn check_char(first17: &[u8]) -> Option<char> {
    if first17.len() != 17 {
        return None;
    }
    let mut sum = 0u32;
    for (i, &c) in first17.iter().enumerate() {
        sum += value_of(c)? * WEIGHTS[i];
    }
    let check = (31 - sum % 31) % 31;
    Some(ALPHABET[check as usize] as char)
}

/// Spaces (also full-width), hyphens dropped; full-width letters and digits folded; upper case.
pub fn normalise_input(raw: &str) -> String {
    raw.chars()
        .filter(|c| !c.is_whitespace() && *c != '-' && *c != '\u{3000}')
        .map(fold_full_width)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// Full-width ASCII (U+FF01..U+FF5E) to its half-width twin.
pub fn fold_full_width(c: char) -> char {
    let u = c as u32;
    if (0xFF01..=0xFF5E).contains(&u) {
        char::from_u32(u - 0xFEE0).unwrap_or(c)
    } else if c == '\u{3000}' {
        ' '
    } else {
        c
    }
}

impl Uscc {
    pub fn parse(raw: &str) -> Result<Self, UsccError> {
        let s = normalise_input(raw);
        if s.is_empty() {
            return Err(UsccError::Empty);
        }
        let n = s.chars().count();
        if n != 18 {
            return Err(UsccError::Length(n));
        }
        for (i, ch) in s.chars().enumerate() {
            if !ch.is_ascii() || value_of(ch as u8).is_none() {
                return Err(UsccError::BadChar { pos: i + 1, ch });
            }
        }
        let bytes = s.as_bytes();
        let expected = check_char(&bytes[..17]).ok_or(UsccError::Length(n))?;
        let actual = bytes[17] as char;
        if expected != actual {
            return Err(UsccError::CheckChar { expected, actual });
        }
        Ok(Uscc(s))
    }

    /// Completes 17 valid characters with their check character (demo data, tests).
    pub fn complete(first17: &str) -> Option<Self> {
        let c = check_char(first17.as_bytes())?;
        Some(Uscc(format!("{first17}{c}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Characters 3-8: the GB/T 2260 division code of the registering authority.
    pub fn division_code(&self) -> &str {
        &self.0[2..8]
    }
}

impl fmt::Display for Uscc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // A published code (Huawei Technologies Co., Ltd., Shenzhen).
    const HUAWEI: &str = "914403001922038216";

    #[test]
    fn accepts_a_real_code() {
        let u = Uscc::parse(HUAWEI).unwrap();
        assert_eq!(u.as_str(), HUAWEI);
        assert_eq!(u.division_code(), "440300");
    }

    #[test]
    fn tolerates_spaces_lower_case_and_full_width() {
        let u = Uscc::parse(" 9144 0300 1922 0382 16 ").unwrap();
        assert_eq!(u.as_str(), HUAWEI);
        let u = Uscc::parse("９１４４０３００１９２２０３８２１６").unwrap();
        assert_eq!(u.as_str(), HUAWEI);
        let code = Uscc::complete("91320100MA1N2K3L4").unwrap();
        let lower = code.as_str().to_lowercase();
        assert_eq!(Uscc::parse(&lower).unwrap(), code);
    }

    #[test]
    fn rejects_wrong_check_character() {
        let err = Uscc::parse("914403001922038217").unwrap_err();
        assert_eq!(err, UsccError::CheckChar { expected: '6', actual: '7' });
    }

    #[test]
    fn rejects_wrong_length_and_empty() {
        assert_eq!(Uscc::parse("91440300192203821"), Err(UsccError::Length(17)));
        assert_eq!(Uscc::parse("9144030019220382160"), Err(UsccError::Length(19)));
        assert_eq!(Uscc::parse("   "), Err(UsccError::Empty));
    }

    #[test]
    fn rejects_letters_outside_the_alphabet() {
        // I, O, Z, S, V are not used.
        let err = Uscc::parse("91440300I92203821X").unwrap_err();
        assert_eq!(err, UsccError::BadChar { pos: 9, ch: 'I' });
        let err = Uscc::parse("91440300中922038216").unwrap_err();
        assert!(matches!(err, UsccError::BadChar { pos: 9, .. }));
    }

    #[test]
    fn complete_then_parse_round_trips() {
        for body in ["91340500MA2N0ABC1", "12100000400000624", "91310115MA1K4DEF0"] {
            let u = Uscc::complete(body).unwrap();
            assert_eq!(Uscc::parse(u.as_str()).unwrap(), u);
        }
    }

    proptest::proptest! {
        #[test]
        fn any_single_character_change_is_caught(pos in 0usize..18, delta in 1usize..31) {
            let bytes = HUAWEI.as_bytes();
            let mut changed = bytes.to_vec();
            let idx = ALPHABET.iter().position(|&a| a == bytes[pos]).unwrap();
            changed[pos] = ALPHABET[(idx + delta) % 31];
            let s = String::from_utf8(changed).unwrap();
            proptest::prop_assert!(Uscc::parse(&s).is_err());
        }

        #[test]
        fn parse_never_panics(s in "\\PC{0,30}") {
            let _ = Uscc::parse(&s);
        }
    }
}
