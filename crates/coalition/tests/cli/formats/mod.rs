//! The field's own formats end to end: every export validated by an independent validator or
//! parser, a reader's export checked for what it may not read, round trips where there is an
//! import, and malformed files refused with their place and nothing written.

mod akn;
mod calendar;
mod opendata;
mod support;

use std::path::{Path, PathBuf};

use crate::support::*;

/// A schema under ../shared/testdata, or `None` (after saying so) when ../shared is absent;
/// with `REQUIRE_SHARED=1` (as `.ci/run` sets it) its absence fails the test instead.
pub(crate) fn shared_schema(relative: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/testdata")
        .join(relative);
    if path.is_file() {
        return Some(path);
    }
    assert!(
        std::env::var("REQUIRE_SHARED").as_deref() != Ok("1"),
        "REQUIRE_SHARED=1 but {} is missing",
        path.display()
    );
    eprintln!("SKIPPED: no {} beside the repository", path.display());
    None
}

/// Validates `file` against `schema` with `xmllint --schema` (Debian's libxml2-utils): `Some`
/// of its complaints (empty when it validates), `None` when skipped — without xmllint, unless
/// `REQUIRE_XMLLINT=1` (as `.ci/run` sets it), or without the schema (see [`shared_schema`]).
pub(crate) fn xmllint_errors(file: &Path, schema: &str) -> Option<String> {
    let schema = shared_schema(schema)?;
    let run = std::process::Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(&schema)
        .arg(file)
        .output();
    let output = match run {
        Ok(output) => output,
        Err(err) => {
            assert!(
                std::env::var("REQUIRE_XMLLINT").as_deref() != Ok("1"),
                "REQUIRE_XMLLINT=1 but xmllint cannot be run: {err}"
            );
            eprintln!("SKIPPED: xmllint not found (Debian package libxml2-utils)");
            return None;
        }
    };
    let stderr = String::from_utf8_lossy(&output.stderr);
    Some(if output.status.success() {
        String::new()
    } else {
        format!("{stderr} (exit {:?})", output.status.code())
    })
}

/// Fails the test with xmllint's words if `file` does not validate against `schema`.
pub(crate) fn xmllint_validates(file: &Path, schema: &str) {
    if let Some(complaints) = xmllint_errors(file, schema) {
        assert_eq!(complaints, "", "{} does not validate", file.display());
    }
}

/// Asserts that a refused command left the coalition's log exactly as it was.
pub(crate) fn unchanged(env: &Env, before: &(u64, String)) {
    assert_eq!(&env.head(DEMO), before, "a refused import wrote to the log");
}
