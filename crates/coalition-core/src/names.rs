//! Closed sets of names: every enum the user types on the command line or in a scenario file
//! (roles, categories, trigger kinds …) is parsed the same way, and a wrong name lists the
//! choices.

/// An enum whose values have one printed name each.
pub trait Named: Copy + Sized + 'static {
    /// Every value, in the order they are listed to the user.
    const ALL: &'static [Self];
    /// What the value is, for messages ("seat role").
    const WHAT: &'static str;
    /// The printed name (kebab-case, as in scenario files).
    fn name(self) -> &'static str;
}

/// A name that is not one of the choices.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} {text:?}: expected one of {choices}")]
pub struct UnknownName {
    /// What was expected.
    pub what: &'static str,
    /// The text given.
    pub text: String,
    /// The accepted names.
    pub choices: String,
}

/// Parses a name case-insensitively; `_` and spaces count as `-`.
pub fn parse_named<T: Named>(text: &str) -> Result<T, UnknownName> {
    let wanted = text.trim().to_ascii_lowercase().replace(['_', ' '], "-");
    T::ALL
        .iter()
        .copied()
        .find(|item| item.name() == wanted)
        .ok_or_else(|| UnknownName {
            what: T::WHAT,
            text: text.to_owned(),
            choices: T::ALL
                .iter()
                .map(|item| item.name())
                .collect::<Vec<_>>()
                .join(", "),
        })
}

/// Implements `FromStr` through [`parse_named`] for enums that are [`Named`].
macro_rules! from_str_by_name {
    ($($type:ty),* $(,)?) => {$(
        impl std::str::FromStr for $type {
            type Err = $crate::names::UnknownName;
            fn from_str(text: &str) -> Result<Self, Self::Err> {
                $crate::names::parse_named(text)
            }
        }
    )*};
}
pub(crate) use from_str_by_name;
