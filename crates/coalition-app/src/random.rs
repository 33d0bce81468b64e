//! The only place the application draws randomness (as `clock.rs` is the only place it reads the
//! clock): the seed of a statement version's salted leaf commitments, from the operating system.
//! The core is given the seed and expands it deterministically (`statement::table`).

use coalition_core::statement::Seed;

/// 32 bytes from the operating system's generator.
pub(crate) fn seed() -> Result<Seed, getrandom::Error> {
    let mut bytes = [0; 32];
    getrandom::fill(&mut bytes)?;
    Ok(Seed(bytes))
}
