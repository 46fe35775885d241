//! The one shape of a bad value at the edge: which field, which translation key, which
//! arguments. Every parser in `domain` and `wire` answers with it; the UI says it in the
//! reader's language beside the field.

use serde::{Deserialize, Serialize};

/// One problem with one field, as a translation key plus arguments, so the UI can say it in
/// the reader's language. `field` is the form field name (`contacts.0.email` for rows).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub key: String,
    pub args: Vec<(String, String)>,
}

impl FieldError {
    pub fn new(field: impl Into<String>, key: &str) -> Self {
        Self { field: field.into(), key: key.to_string(), args: Vec::new() }
    }

    pub fn with(mut self, name: &str, value: impl ToString) -> Self {
        self.args.push((name.to_string(), value.to_string()));
        self
    }
}
