//! Reading the files a user names, with a size limit checked before anything is read: a file
//! that is too large is refused with its size and the limit, never loaded.

use std::path::Path;

use crate::failure::bad_input;

/// The largest bundle read (256 MiB).
pub(crate) const MAX_BUNDLE_BYTES: u64 = 256 << 20;

/// The largest checkpoint note read (64 KiB).
pub(crate) const MAX_NOTE_BYTES: u64 = 64 << 10;

/// The largest negotiation input read (GENIUS XML, decide CSV, scenario: 16 MiB).
pub(crate) const MAX_NEGOTIATION_BYTES: u64 = 16 << 20;

/// How a file is named in a message: `--flag path`, or the path alone for a positional one.
fn named(what: &str, path: &Path) -> String {
    if what.is_empty() {
        path.display().to_string()
    } else {
        format!("{what} {}", path.display())
    }
}

/// The bytes of `path`, if it is no larger than `limit`; `what` names the flag ("" for a
/// positional argument).
pub(crate) fn read_bytes(what: &str, path: &Path, limit: u64) -> anyhow::Result<Vec<u8>> {
    let what = named(what, path);
    let size = std::fs::metadata(path)
        .map_err(|e| bad_input(format!("{what}: {e}")))?
        .len();
    if size > limit {
        return Err(bad_input(format!(
            "{what}: {size} bytes; at most {limit} bytes are accepted"
        )));
    }
    std::fs::read(path).map_err(|e| bad_input(format!("{what}: {e}")))
}

/// The text of `path` (UTF-8), if it is no larger than `limit`.
pub(crate) fn read_text(what: &str, path: &Path, limit: u64) -> anyhow::Result<String> {
    let bytes = read_bytes(what, path, limit)?;
    String::from_utf8(bytes)
        .map_err(|e| bad_input(format!("{}: not UTF-8 text ({e})", named(what, path))))
}

/// Writes `bytes` to `path` whole or not at all: into a temporary file beside it, then renamed
/// over it, so that a failure leaves no half-written file. `what` names the flag.
pub(crate) fn write_out(what: &str, path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let what = named(what, path);
    let mut partial = path.as_os_str().to_owned();
    partial.push(".partial");
    let partial = std::path::PathBuf::from(partial);
    std::fs::write(&partial, bytes)
        .and_then(|()| std::fs::rename(&partial, path))
        .map_err(|e| {
            let _ = std::fs::remove_file(&partial);
            bad_input(format!("{what}: {e}"))
        })
}
