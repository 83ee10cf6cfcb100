//! Scenario table of the engine.
