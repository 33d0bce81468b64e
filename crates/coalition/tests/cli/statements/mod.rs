//! Issue 3 from the command line: keys, the statement flow from a Markdown draft to the
//! communiqué, bad input that leaves the log as it was, and offline bundles and checkpoints that
//! catch a changed byte, a truncated or a rewritten history.
//!
//! Every test runs the built binary in its own temporary directories (data, trusted checkpoints,
//! files) with a fixed clock.

mod bad_input;
mod bundles;
mod flow;
mod keys;
mod world;
