//! admin-portal: a keyboard-driven terminal portal with which a security integrator manages its
//! customers. Everything testable is reachable from here; `main.rs` only parses and runs.

// No `unwrap` outside tests (clippy.toml allows it there), no function over 100 lines (issue 12).
#![deny(clippy::unwrap_used, clippy::too_many_lines)]

pub mod action;
pub mod app;
pub mod assets;
pub mod cli;
pub mod clipboard;
pub mod config;
pub mod logging;
pub mod run;
pub mod transfer;

pub mod domain;
pub mod keymap;
pub mod store;
pub mod term;
pub mod theme;
pub mod ui;
