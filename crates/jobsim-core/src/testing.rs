//! Given/when/then helpers for tests (being written).
