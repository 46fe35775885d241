//! 电子邮箱: one rule for every address the office keeps — users' mail, lead contacts, the
//! calendar mail a user sets for themselves.

use super::field_error::FieldError;

/// The longest address SMTP carries: a 256-octet path less its angle brackets (RFC 5321
/// §4.5.3.1.3).
pub const MAX_LEN: usize = 254;

/// Whether `s` (already trimmed) looks like a deliverable address: something before the first `@`,
/// a dotted domain after it, no whitespace, at most [`MAX_LEN`] bytes. Deliverability itself is
/// the mail server's business.
pub fn is_valid(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s.chars().any(char::is_whitespace)
        && s.len() <= MAX_LEN
}

/// An optional address from a form: trimmed; empty stays empty (no mail is sent then).
/// Errors: `err.email` on `field` when it is not empty and not [`is_valid`].
pub fn parse_optional(field: &str, raw: &str) -> Result<String, FieldError> {
    let email = raw.trim();
    if email.is_empty() || is_valid(email) {
        Ok(email.to_string())
    } else {
        Err(FieldError::new(field, "err.email"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_rule_for_every_address() {
        assert!(is_valid("wang@example.com"));
        assert!(is_valid(&format!("{}@example.com", "a".repeat(MAX_LEN - 12))));
        assert!(!is_valid(&format!("{}@example.com", "a".repeat(MAX_LEN - 11))), "too long");
        for bad in ["", "wang", "@example.com", "wang@example", "wang@.com", "wang@example.", "wa ng@example.com"] {
            assert!(!is_valid(bad), "{bad}");
        }
        assert_eq!(parse_optional("email", "  "), Ok(String::new()));
        assert_eq!(parse_optional("email", " wang@example.com "), Ok("wang@example.com".into()));
        assert_eq!(parse_optional("email", "wang").map_err(|e| e.key), Err("err.email".to_string()));
    }
}
