//! What may happen? (being written: see issue 2)
