//! `OpenAi::builder()` snapshots the process environment at build unless a map is given.
//!
//! The process environment cannot be changed safely inside a multi-threaded test, so the test
//! runs itself again as a child process with the variables set.

use std::process::Command;

use strata_openai::OpenAi;

const CHILD: &str = "STRATA_OPENAI_ENV_TEST_CHILD";

#[test]
fn the_builder_reads_the_process_environment_unless_given_a_map() {
    if std::env::var_os(CHILD).is_none() {
        let output = Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "the_builder_reads_the_process_environment_unless_given_a_map",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD, "1")
            .env("OPENAI_API_KEY", "sk-from-process")
            .env("OPENAI_BASE_URL", "https://gateway.example/v1/")
            .env("OPENAI_ORG_ID", "org-from-process")
            .env_remove("OPENAI_PROJECT_ID")
            .env_remove("AWS_BEDROCK_BASE_URL")
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "the child failed:\n{stdout}\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(stdout.contains("1 passed"), "{stdout}");
        return;
    }

    // In the child: the variables above are set.
    let openai = OpenAi::builder().build().unwrap();
    let config = openai.client().config();
    assert_eq!(config.base_url(), "https://gateway.example/v1");
    assert_eq!(config.api_key().unwrap().expose(), "sk-from-process");
    assert_eq!(config.headers()["openai-organization"], "org-from-process");
    assert!(!format!("{openai:?}").contains("sk-from-process"));

    // Arguments win over the snapshot.
    let openai = OpenAi::builder()
        .api_key("sk-argument")
        .base_url("http://127.0.0.1:8000/v1")
        .build()
        .unwrap();
    assert_eq!(
        openai.client().config().base_url(),
        "http://127.0.0.1:8000/v1"
    );
    assert_eq!(
        openai.client().config().api_key().unwrap().expose(),
        "sk-argument"
    );

    // A map replaces the process environment entirely.
    let openai = OpenAi::builder()
        .env([("OPENAI_BASE_URL", "http://127.0.0.1:11434/v1")])
        .build()
        .unwrap();
    let config = openai.client().config();
    assert_eq!(config.base_url(), "http://127.0.0.1:11434/v1");
    assert!(config.api_key().is_none());
    assert!(config.headers().is_empty());
    let error = OpenAi::builder()
        .env(std::iter::empty::<(String, String)>())
        .build()
        .unwrap_err();
    assert!(error.is_missing_api_key());

    // Bedrock mantle reads none of the OPENAI_* variables.
    #[cfg(feature = "mantle")]
    {
        let mantle = OpenAi::bedrock_mantle()
            .region("us-east-1")
            .api_key("bedrock-api-key")
            .build()
            .unwrap();
        let config = mantle.client().config();
        assert_eq!(
            config.base_url(),
            "https://bedrock-mantle.us-east-1.api.aws/openai/v1"
        );
        assert!(config.api_key().is_none());
        assert!(config.headers().is_empty());
    }
}
