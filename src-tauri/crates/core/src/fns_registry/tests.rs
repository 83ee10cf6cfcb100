//! Tests of the registry import against the real fixture archives.
