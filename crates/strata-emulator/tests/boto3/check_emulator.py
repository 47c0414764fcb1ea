#!/usr/bin/env python3
"""Drive a running strata-emulator with the official boto3 clients.

Usage: check_emulator.py --endpoint-url http://127.0.0.1:PORT

Checks converse, converse_stream, invoke_model (Titan embedding, Nova Canvas image),
invoke_model_with_response_stream, count_tokens and rerank, plus the AWS errors botocore
surfaces for a wrong secret and an unknown enum value (botocore itself
cannot serialize unknown members, so the unknown-field case lives in the Rust tests). Exits non-zero on the first failure.
"""

import argparse
import base64
import json
import math
import sys

import boto3
import botocore.config
import botocore.exceptions

ACCESS_KEY_ID = "AKIDEXAMPLE"
SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
REGION = "us-east-1"
NOVA = "us.amazon.nova-lite-v1:0"


def client(service, endpoint, secret=SECRET_ACCESS_KEY, validate=True):
    config = botocore.config.Config(
        retries={"max_attempts": 1, "mode": "standard"},
        parameter_validation=validate,
    )
    return boto3.client(
        service,
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY_ID,
        aws_secret_access_key=secret,
        config=config,
    )


def expect(condition, what):
    if not condition:
        raise AssertionError(what)
    print(f"ok: {what}")


def check_converse(runtime):
    response = runtime.converse(
        modelId=NOVA,
        messages=[{"role": "user", "content": [{"text": "Hello from boto3"}]}],
        inferenceConfig={"maxTokens": 100},
    )
    text = response["output"]["message"]["content"][0]["text"]
    expect(text == "You said: Hello from boto3", f"converse text {text!r}")
    expect(response["stopReason"] == "end_turn", "converse stop reason")
    expect(response["usage"]["outputTokens"] == 6, "converse output tokens")
    expect(len(response["ResponseMetadata"]["RequestId"]) == 36, "request id is UUID-shaped")


def check_converse_stream(runtime):
    response = runtime.converse_stream(
        modelId=NOVA,
        messages=[{"role": "user", "content": [{"text": "Stream this back please"}]}],
    )
    kinds, text = [], ""
    for event in response["stream"]:
        (kind,) = event.keys()
        kinds.append(kind)
        if kind == "contentBlockDelta":
            text += event[kind]["delta"]["text"]
        if kind == "messageStop":
            expect(event[kind]["stopReason"] == "end_turn", "stream stop reason")
    expect(kinds[0] == "messageStart", "stream starts with messageStart")
    expect(kinds[-3:] == ["contentBlockStop", "messageStop", "metadata"], f"stream ends {kinds[-3:]}")
    expect(kinds.count("contentBlockDelta") >= 2, "stream text arrives in several deltas")
    expect(text == "You said: Stream this back please", f"stream text {text!r}")


def check_embedding(runtime):
    body = json.dumps({"inputText": "hello world", "dimensions": 256, "normalize": True})
    response = runtime.invoke_model(modelId="amazon.titan-embed-text-v2:0", body=body)
    expect(response["contentType"] == "application/json", "embedding content type")
    vector = json.loads(response["body"].read())["embedding"]
    expect(len(vector) == 256, "embedding has 256 dimensions")
    norm = math.sqrt(sum(v * v for v in vector))
    expect(abs(norm - 1.0) < 1e-3, f"embedding is unit-norm ({norm})")


def check_image(runtime):
    body = json.dumps({
        "taskType": "TEXT_IMAGE",
        "textToImageParams": {"text": "a lighthouse at dusk"},
        "imageGenerationConfig": {"width": 512, "height": 320, "numberOfImages": 1},
    })
    response = runtime.invoke_model(modelId="amazon.nova-canvas-v1:0", body=body)
    (image,) = json.loads(response["body"].read())["images"]
    png = base64.b64decode(image)
    expect(png[:8] == b"\x89PNG\r\n\x1a\n", "image is a PNG")
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    expect((width, height) == (512, 320), f"image is 512x320 ({width}x{height})")


def check_invoke_stream(runtime):
    body = json.dumps({
        "anthropic_version": "bedrock-2023-05-31",
        "max_tokens": 100,
        "messages": [{"role": "user", "content": "Hi"}],
    })
    response = runtime.invoke_model_with_response_stream(
        modelId="anthropic.claude-3-haiku-20240307-v1:0", body=body
    )
    chunks = [json.loads(event["chunk"]["bytes"]) for event in response["body"]]
    expect(chunks[0]["type"] == "message_start", "native stream starts with message_start")
    expect(chunks[-1]["type"] == "message_stop", "native stream ends with message_stop")


def check_count_tokens(runtime):
    response = runtime.count_tokens(
        modelId="anthropic.claude-3-5-haiku-20241022-v1:0",
        input={"converse": {"messages": [{"role": "user", "content": [{"text": "Hello, world!"}]}]}},
    )
    expect(response["inputTokens"] == 4, f"count_tokens ({response['inputTokens']})")


def check_rerank(agent):
    response = agent.rerank(
        queries=[{"type": "TEXT", "textQuery": {"text": "red apple"}}],
        sources=[
            {"type": "INLINE", "inlineDocumentSource": {"type": "TEXT", "textDocument": {"text": "a green pear"}}},
            {"type": "INLINE", "inlineDocumentSource": {"type": "TEXT", "textDocument": {"text": "one red apple"}}},
        ],
        rerankingConfiguration={
            "type": "BEDROCK_RERANKING_MODEL",
            "bedrockRerankingConfiguration": {
                "numberOfResults": 2,
                "modelConfiguration": {
                    "modelArn": "arn:aws:bedrock:us-east-1::foundation-model/amazon.rerank-v1:0"
                },
            },
        },
    )
    order = [(r["index"], r["relevanceScore"]) for r in response["results"]]
    expect(order == [(1, 1.0), (0, 0.0)], f"rerank order {order}")


def expect_client_error(call, code, message_start, what):
    try:
        call()
    except botocore.exceptions.ClientError as err:
        got_code = err.response["Error"]["Code"]
        got_message = err.response["Error"]["Message"]
        expect(got_code == code, f"{what}: code {got_code}")
        expect(got_message.startswith(message_start), f"{what}: message {got_message!r}")
        return
    raise AssertionError(f"{what}: expected {code}")


def check_errors(endpoint):
    wrong = client("bedrock-runtime", endpoint, secret="not-the-secret")
    expect_client_error(
        lambda: wrong.converse(modelId=NOVA, messages=[{"role": "user", "content": [{"text": "x"}]}]),
        "InvalidSignatureException",
        "The request signature we calculated does not match the signature you provided.",
        "wrong secret",
    )
    unvalidated = client("bedrock-runtime", endpoint, validate=False)
    expect_client_error(
        lambda: unvalidated.converse(
            modelId=NOVA, messages=[{"role": "developer", "content": [{"text": "x"}]}]
        ),
        "ValidationException",
        "1 validation error detected: Value 'developer' at 'messages.1.member.role' failed to "
        "satisfy constraint: Member must satisfy enum value set: [user, assistant, system]",
        "unknown enum value",
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoint-url", required=True)
    endpoint = parser.parse_args().endpoint_url
    runtime = client("bedrock-runtime", endpoint)
    check_converse(runtime)
    check_converse_stream(runtime)
    check_embedding(runtime)
    check_image(runtime)
    check_invoke_stream(runtime)
    check_count_tokens(runtime)
    check_rerank(client("bedrock-agent-runtime", endpoint))
    check_errors(endpoint)
    print("boto3 check passed")


if __name__ == "__main__":
    try:
        main()
    except AssertionError as err:
        print(f"FAILED: {err}", file=sys.stderr)
        sys.exit(1)
