use serde_json::{Value, json};

use super::vector;
use crate::models::catalog::resolve;
use crate::models::invoke::invoke;

fn call(id: &str, body: Value) -> Result<Value, String> {
    invoke(&resolve(id).unwrap(), body.to_string().as_bytes())
        .map(|out| serde_json::from_slice(&out.body).unwrap())
        .map_err(|e| e.message().to_owned())
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

fn norm(v: &[f64]) -> f64 {
    v.iter().map(|x| x * x).sum::<f64>().sqrt()
}

fn cosine(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum::<f64>() / (norm(a) * norm(b))
}

#[test]
fn vectors_are_deterministic_and_meaningful() {
    let a = vector("the red fox", 256, true);
    assert_eq!(a, vector("the red fox", 256, true));
    assert!((norm(&a) - 1.0).abs() < 1e-6);
    let related = vector("a red fox runs", 256, true);
    let unrelated = vector("quantum chromodynamics lecture", 256, true);
    assert!(cosine(&a, &related) > 0.4, "{}", cosine(&a, &related));
    assert!(
        cosine(&a, &unrelated).abs() < 0.2,
        "{}",
        cosine(&a, &unrelated)
    );
    // Case-insensitive words; the empty text still gives a non-zero vector.
    assert!(cosine(&a, &vector("THE RED FOX", 256, true)) > 0.99);
    assert!(norm(&vector("", 256, false)) > 0.0);
}

#[test]
fn titan_v1() {
    let body = call(
        "amazon.titan-embed-text-v1",
        json!({"inputText": "Hello, world"}),
    )
    .unwrap();
    assert_eq!(body.as_object().unwrap().len(), 2);
    assert_eq!(body["inputTextTokenCount"], 3);
    let v = floats(&body["embedding"]);
    assert_eq!(v.len(), 1536);
    assert_eq!(v, vector("Hello, world", 1536, false));
    assert_eq!(
        call(
            "amazon.titan-embed-text-v1",
            json!({"inputText": "x", "dimensions": 256})
        )
        .unwrap_err(),
        "Malformed input request: #: extraneous key [dimensions] is not permitted, please reformat your input and try again."
    );
    assert_eq!(
        call("amazon.titan-embed-text-v1", json!({})).unwrap_err(),
        "Malformed input request: #: required key [inputText] not found, please reformat your input and try again."
    );
}

#[test]
fn titan_v2_dimensions_normalize_and_types() {
    let id = "amazon.titan-embed-text-v2:0";
    let default = call(id, json!({"inputText": "abc"})).unwrap();
    let v = floats(&default["embedding"]);
    assert_eq!(v.len(), 1024);
    assert!((norm(&v) - 1.0).abs() < 1e-6);
    assert_eq!(
        default["embeddingsByType"],
        json!({"float": default["embedding"]})
    );

    for dims in [256, 512] {
        let body = call(id, json!({"inputText": "abc", "dimensions": dims})).unwrap();
        assert_eq!(body["embedding"].as_array().unwrap().len(), dims);
    }
    let raw = call(id, json!({"inputText": "abc abc", "normalize": false})).unwrap();
    assert!(norm(&floats(&raw["embedding"])) > 1.5);

    let both = call(
        id,
        json!({"inputText": "abc", "dimensions": 256, "embeddingTypes": ["binary", "float"]}),
    )
    .unwrap();
    let float = floats(&both["embeddingsByType"]["float"]);
    let binary: Vec<i64> = both["embeddingsByType"]["binary"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_i64().unwrap())
        .collect();
    assert_eq!(binary.len(), 256);
    assert!(
        float
            .iter()
            .zip(&binary)
            .all(|(f, b)| *b == i64::from(*f > 0.0))
    );

    assert_eq!(
        call(id, json!({"inputText": "abc", "dimensions": 300})).unwrap_err(),
        "Malformed input request: #/dimensions: 300 is not a valid enum value, please reformat your input and try again."
    );
    assert_eq!(
        call(id, json!({"inputText": "abc", "embeddingTypes": ["int8"]})).unwrap_err(),
        "Malformed input request: #/embeddingTypes/0: \"int8\" is not a valid enum value, please reformat your input and try again."
    );
    assert!(
        call(id, json!({"inputText": 5}))
            .unwrap_err()
            .contains("#/inputText: expected type: String, found: Number")
    );
    assert!(call(id, json!({"inputText": "a", "normalize": "yes"})).is_err());
}

#[test]
fn cohere_v3_floats_and_types() {
    let id = "cohere.embed-english-v3";
    let body = call(
        id,
        json!({"texts": ["first text", "second"], "input_type": "search_document"}),
    )
    .unwrap();
    assert_eq!(body["response_type"], "embeddings_floats");
    assert_eq!(body["texts"], json!(["first text", "second"]));
    let rows = body["embeddings"].as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(floats(&rows[1]), vector("second", 1024, true));
    let id_str = body["id"].as_str().unwrap();
    assert_eq!(id_str.len(), 36);
    assert_eq!(id_str.matches('-').count(), 4);

    let typed = call(
        id,
        json!({"texts": ["hello world"], "input_type": "search_query",
        "embedding_types": ["float", "int8", "uint8", "binary", "ubinary"]}),
    )
    .unwrap();
    assert_eq!(typed["response_type"], "embeddings_by_type");
    let e = &typed["embeddings"];
    let ints = |k: &str| -> Vec<i64> {
        e[k][0]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_i64().unwrap())
            .collect()
    };
    assert_eq!(floats(&e["float"][0]).len(), 1024);
    let int8 = ints("int8");
    assert_eq!(int8.len(), 1024);
    assert!(int8.iter().all(|x| (-127..=127).contains(x)) && int8.iter().any(|x| x.abs() == 127));
    assert_eq!(
        ints("uint8"),
        int8.iter().map(|x| x + 128).collect::<Vec<_>>()
    );
    let ubinary = ints("ubinary");
    assert_eq!(ubinary.len(), 128);
    assert_eq!(
        ints("binary"),
        ubinary.iter().map(|x| x - 128).collect::<Vec<_>>()
    );
    let first_bits: Vec<i64> = floats(&e["float"][0])[..8]
        .iter()
        .map(|f| i64::from(*f > 0.0))
        .collect();
    assert_eq!(ubinary[0], first_bits.iter().fold(0, |acc, b| acc * 2 + b));

    let too_many: Vec<String> = (0..97).map(|i| i.to_string()).collect();
    assert!(
        call(id, json!({"texts": too_many, "input_type": "clustering"}))
            .unwrap_err()
            .contains("expected maximum item count: 96, found: 97")
    );
    let long = "a".repeat(2049);
    assert!(
        call(id, json!({"texts": [long], "input_type": "clustering"}))
            .unwrap_err()
            .contains("#/texts/0: expected maxLength: 2048")
    );
    assert!(
        call(
            id,
            json!({"texts": [long], "input_type": "clustering", "truncate": "END"})
        )
        .is_ok()
    );
    assert_eq!(
        call(id, json!({"texts": ["a"]})).unwrap_err(),
        "Malformed input request: #: required key [input_type] not found, please reformat your input and try again."
    );
    assert!(
        call(
            id,
            json!({"texts": ["a"], "input_type": "search_document", "output_dimension": 256})
        )
        .unwrap_err()
        .contains("extraneous key [output_dimension]")
    );
}

#[test]
fn cohere_v4_dimensions_and_inputs() {
    let id = "cohere.embed-v4:0";
    let body = call(
        id,
        json!({"texts": ["hello"], "input_type": "search_document"}),
    )
    .unwrap();
    assert_eq!(body["response_type"], "embeddings_by_type");
    assert_eq!(
        body["embeddings"]["float"][0].as_array().unwrap().len(),
        1536
    );
    let small = call(id, json!({"texts": ["hello"], "input_type": "search_document", "output_dimension": 256, "embedding_types": ["int8"]})).unwrap();
    assert_eq!(
        small["embeddings"]["int8"][0].as_array().unwrap().len(),
        256
    );
    assert!(small["embeddings"].get("float").is_none());
    let inputs = call(id, json!({"inputs": [{"content": [{"type": "text", "text": "hello"}]}], "input_type": "search_query"})).unwrap();
    assert_eq!(inputs["embeddings"]["float"], body["embeddings"]["float"]);
    assert!(
        call(
            id,
            json!({"texts": ["a"], "input_type": "clustering", "output_dimension": 100})
        )
        .unwrap_err()
        .contains("#/output_dimension: 100 is not a valid enum value")
    );
    let image = call(
        id,
        json!({"images": ["data:image/png;base64,iVBORw0KGgo="], "input_type": "image"}),
    )
    .unwrap();
    assert_eq!(image["texts"], json!([]));
    assert_eq!(image["embeddings"]["float"].as_array().unwrap().len(), 1);
    let v3 = "cohere.embed-multilingual-v3";
    assert!(
        call(v3, json!({"images": ["a", "b"], "input_type": "image"}))
            .unwrap_err()
            .contains("#/images: expected maximum item count: 1, found: 2")
    );
    assert!(
        call(
            v3,
            json!({"images": ["a"], "texts": ["b"], "input_type": "image"})
        )
        .unwrap_err()
        .contains("only one of [texts, images]")
    );
    // Cohere v4 is also offered through inference profiles.
    assert!(resolve("us.cohere.embed-v4:0").is_ok());
}
