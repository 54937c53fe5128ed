//! Engine invariants (being written).
