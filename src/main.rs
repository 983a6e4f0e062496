use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = ruad::cli::Cli::parse();
    ruad::cli::run(cli)
}
