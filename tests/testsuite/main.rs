//! The integration test suite: one binary, one small fixture book per case.
//! See README.md beside this file for how to add a case.

mod build;
mod cli;
mod compat;
mod decision;
mod differential;
mod engine;
mod errors;
mod fuzz;
mod harness;
mod model;
mod page_meta;
mod playbook;
mod search;
mod serve;
mod trust;
