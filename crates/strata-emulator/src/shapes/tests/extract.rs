//! The committed extracts are exactly what `scripts/extract_shapes.py` makes of the models.

use std::path::Path;
use std::process::Command;

const CRATE: &str = env!("CARGO_MANIFEST_DIR");
const MODELS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/aws-models");

#[test]
fn committed_extracts_match_the_script_output() {
    assert!(
        Path::new(MODELS).join("bedrock-runtime").is_dir(),
        "the shared service models are missing at {MODELS}: this test needs the checkout's \
         ../shared folder"
    );
    let output = Command::new("python3")
        .arg(Path::new(CRATE).join("scripts/extract_shapes.py"))
        .arg("--check")
        .arg("--models")
        .arg(MODELS)
        .arg("--out")
        .arg(Path::new(CRATE).join("models"))
        .output()
        .expect("python3 must be installed to run scripts/extract_shapes.py");
    assert!(
        output.status.success(),
        "extract_shapes.py --check failed ({}):\n{}{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "extract_shapes: 2 extracts up to date\n"
    );
}

#[test]
fn extracts_carry_no_documentation() {
    for extract in [
        super::super::RUNTIME_EXTRACT,
        super::super::AGENT_RUNTIME_EXTRACT,
    ] {
        assert!(!extract.contains("\"documentation\""));
        assert!(!extract.contains("<p>"));
    }
}
