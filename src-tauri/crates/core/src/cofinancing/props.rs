//! Properties of the engine.
