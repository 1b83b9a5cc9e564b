//! `podstep run`: simulate one workload and print its trace.

use anyhow::{bail, Result};
use std::process::ExitCode;

pub fn main(_args: &[String]) -> Result<ExitCode> {
    bail!("run is not implemented yet")
}
