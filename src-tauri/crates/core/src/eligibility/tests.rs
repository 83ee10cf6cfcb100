//! Tests of the eligibility rules and their storage.
