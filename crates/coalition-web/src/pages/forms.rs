//! Reading a submitted form, and what a page shows beside a field the input was wrong in: the
//! message next to the field and the text as the user typed it.

use std::collections::BTreeMap;

use axum::body::Bytes;

use crate::Web;
use crate::error::WebError;
use crate::visitor::Visitor;

/// The most a form may send.
const MOST_BYTES: usize = 64 * 1024;

/// A submitted form's fields (the last value of each name; `list` for repeated ones).
#[derive(Clone, Debug, Default)]
pub(crate) struct Fields(Vec<(String, String)>);

impl Fields {
    /// Parses an `application/x-www-form-urlencoded` body.
    pub(crate) fn parse(body: &Bytes) -> Result<Fields, WebError> {
        if body.len() > MOST_BYTES {
            return Err(WebError::BadRequest(format!(
                "a form may send at most {MOST_BYTES} bytes"
            )));
        }
        serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
            .map(Fields)
            .map_err(|e| WebError::BadRequest(format!("the form could not be read: {e}")))
    }

    /// A field's value as typed, trimmed ("" when absent).
    pub(crate) fn get(&self, name: &str) -> String {
        self.0
            .iter()
            .rev()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.trim().to_owned())
            .unwrap_or_default()
    }
}

/// A form that writes: read, checked for this session's CSRF token and origin, and refused on
/// a read-only replica before anything is decided.
pub(crate) fn writing(web: &Web, visitor: &Visitor, body: &Bytes) -> Result<Fields, WebError> {
    let fields = Fields::parse(body)?;
    visitor.check_form(&fields.get("csrf"))?;
    if web.options.read_only {
        return Err(WebError::Forbidden(
            "this server is a read-only replica: nothing was written".into(),
        ));
    }
    Ok(fields)
}

/// What a form shows again after bad input: each field's text as typed, and the message for
/// each field at fault.
#[derive(Clone, Debug, Default)]
pub(crate) struct Echo {
    values: BTreeMap<String, String>,
    errors: BTreeMap<String, String>,
    /// A message about the whole form (a rule that refused it).
    pub(crate) general: Option<String>,
}

impl Echo {
    /// The form as sent, no error yet.
    pub(crate) fn of(fields: &Fields) -> Echo {
        Echo {
            values: fields.0.iter().cloned().collect(),
            ..Echo::default()
        }
    }

    /// A value to show in a field: what was typed, or `default` on a fresh form.
    pub(crate) fn value(&self, name: &str, default: &str) -> String {
        self.values
            .get(name)
            .cloned()
            .unwrap_or_else(|| default.to_owned())
    }

    /// Whether `option` is the value chosen for `name` (a select's selected option).
    pub(crate) fn chosen(&self, name: &str, option: &str, default: &str) -> bool {
        self.value(name, default) == option
    }

    /// The message for a field, if its input was wrong.
    pub(crate) fn error(&self, name: &str) -> Option<String> {
        self.errors.get(name).cloned()
    }

    /// Whether any field is at fault.
    pub(crate) fn failed(&self) -> bool {
        !self.errors.is_empty() || self.general.is_some()
    }

    /// Records a field's fault.
    pub(crate) fn fault(&mut self, name: &str, message: String) {
        self.errors.entry(name.to_owned()).or_insert(message);
    }

    /// Parses a field with `parse`, recording the fault under its name.
    pub(crate) fn take<T>(
        &mut self,
        fields: &Fields,
        name: &str,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Option<T> {
        match parse(&fields.get(name)) {
            Ok(value) => Some(value),
            Err(message) => {
                self.fault(name, message);
                None
            }
        }
    }
}
