//! Where is it kept? (being written: see issue 2)
