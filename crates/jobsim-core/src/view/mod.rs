//! The views: what the state and the log look like from outside — the v1 resources as the REST
//! API renders them (`render`, `lists`), the log folded into attempts (`timeline`), what an
//! execution cost (`cost`) and why it ended as it did (`explain`). They read the state and the
//! log; nothing below them reads a view. Re-exported at the crate root (`jobsim_core::render`, …).

pub mod cost;
pub mod explain;
pub mod lists;
pub mod render;
pub mod timeline;
