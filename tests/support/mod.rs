//! Shared helpers for integration tests; each test file declares `mod support;`.
#![allow(dead_code)]

pub mod app;
pub mod contract;
pub mod db;
pub mod fixture;
pub mod flows;
pub mod pg;
pub mod pty;
pub mod readonly;
pub mod skip;
