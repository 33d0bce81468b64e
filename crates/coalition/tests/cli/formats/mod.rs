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

/// Validates `file` against `schema` with `xmllint --schema` (Debian's libxml2-utils), and
/// fails the test with xmllint's words if it does not validate. Skips when xmllint is missing,
/// unless `REQUIRE_XMLLINT=1` (as `.ci/run` sets it), and when the schema is missing (see
/// [`shared_schema`]). Returns whether it validated (false: skipped).
pub(crate) fn xmllint_validates(file: &Path, schema: &str) -> bool {
    let Some(schema) = shared_schema(schema) else {
        return false;
    };
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
            return false;
        }
    };
    assert!(
        output.status.success(),
        "{} does not validate against {}:\n{}",
        file.display(),
        schema.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    true
}

/// Asserts that a refused command left the coalition's log exactly as it was.
pub(crate) fn unchanged(env: &Env, before: &(u64, String)) {
    assert_eq!(&env.head(DEMO), before, "a refused import wrote to the log");
}
