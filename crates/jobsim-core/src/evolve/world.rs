//! The `world` stream: the simulator's world and its clock.

use crate::settings::World;
use crate::state::State;
use crate::time::Micros;

/// `WorldStarted`: the world every later event runs in, and the start of time.
pub(super) fn started(state: &mut State, world: &World, now: Micros) {
    state.world = world.clone();
    state.now = now;
}
