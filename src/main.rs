use std::process::ExitCode;

fn main() -> ExitCode {
    ruad::app::main()
}
