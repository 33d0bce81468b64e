//! What could be agreed? (being written: see issue 4)
