#!/usr/bin/env python3
"""Extract the shapes strata-emulator needs from the botocore service models.

The emulator validates request bodies against the Bedrock service models. The
full botocore models are large and mostly documentation, and they live outside
the repository (in `shared/aws-models/`), so the crate carries a shapes-only
extract instead: the operations it serves, every shape reachable from their
inputs, outputs and errors, and only the keys that matter for (de)serialisation
and validation. Documentation strings are dropped.

Usage (from anywhere; paths default to the repository layout):

    python3 crates/strata-emulator/scripts/extract_shapes.py          # rewrite
    python3 crates/strata-emulator/scripts/extract_shapes.py --check  # verify

`--check` rewrites nothing and exits with status 1 (naming the stale files)
when the committed extracts differ from what the models produce, and with
status 2 when the models cannot be read. `--models DIR` and `--out DIR`
override the input folder (default: `<repo>/../shared/aws-models`) and the
output folder (default: `crates/strata-emulator/models`).

Python 3 standard library only. Output is deterministic: object keys sorted,
lists (enum values, required members, errors) kept in model order.
"""

import argparse
import json
import os
import sys

# The operations the emulator serves, per service folder.
SERVICES = {
    "bedrock-runtime": [
        "Converse",
        "ConverseStream",
        "CountTokens",
        "InvokeModel",
        "InvokeModelWithResponseStream",
    ],
    "bedrock-agent-runtime": ["Rerank"],
}

# Shape keys kept: those that change how a value is (de)serialised or validated.
SHAPE_KEYS = {
    "type",
    "members",
    "member",
    "key",
    "value",
    "required",
    "min",
    "max",
    "pattern",
    "enum",
    "union",
    "document",
    "sensitive",
    "payload",
    "streaming",
    "eventstream",
    "event",
    "exception",
    "error",
    "fault",
    "timestampFormat",
}

# Member keys kept: the HTTP binding and event-stream placement.
MEMBER_KEYS = {
    "shape",
    "location",
    "locationName",
    "eventpayload",
    "eventheader",
    "idempotencyToken",
}

# Error-trait keys kept (`error: {code, httpStatusCode, senderFault}`).
ERROR_KEYS = {"code", "httpStatusCode", "senderFault"}

SCRIPT_DIR = os.path.dirname(os.path.realpath(__file__))
CRATE_DIR = os.path.dirname(SCRIPT_DIR)
DEFAULT_MODELS = os.path.normpath(
    os.path.join(CRATE_DIR, "..", "..", "..", "shared", "aws-models")
)
DEFAULT_OUT = os.path.join(CRATE_DIR, "models")


class ModelError(Exception):
    """The service models are missing or not shaped as expected."""


def service_model_path(models_dir, service):
    """The newest `<service>/<api-version>/service-2.json` under `models_dir`."""
    service_dir = os.path.join(models_dir, service)
    if not os.path.isdir(service_dir):
        raise ModelError(f"service folder not found: {service_dir}")
    versions = sorted(
        v
        for v in os.listdir(service_dir)
        if os.path.isfile(os.path.join(service_dir, v, "service-2.json"))
    )
    if not versions:
        raise ModelError(f"no <version>/service-2.json under {service_dir}")
    return os.path.join(service_dir, versions[-1], "service-2.json")


def strip_shape(shape):
    out = {}
    for key, value in shape.items():
        if key not in SHAPE_KEYS:
            continue
        if key == "members":
            value = {
                name: {k: v for k, v in member.items() if k in MEMBER_KEYS}
                for name, member in value.items()
            }
        elif key in ("member", "key", "value"):
            value = {k: v for k, v in value.items() if k in MEMBER_KEYS}
        elif key == "error" and isinstance(value, dict):
            value = {k: v for k, v in value.items() if k in ERROR_KEYS}
        out[key] = value
    return out


def referenced(shape):
    """Names of the shapes a shape refers to."""
    names = [m["shape"] for m in shape.get("members", {}).values()]
    for key in ("member", "key", "value"):
        if key in shape:
            names.append(shape[key]["shape"])
    return names


def extract(model, operations):
    shapes = model["shapes"]
    metadata = model["metadata"]
    ops = {}
    roots = []
    for name in operations:
        if name not in model["operations"]:
            raise ModelError(f"operation {name} not in the model")
        op = model["operations"][name]
        entry = {"http": {k: op["http"][k] for k in ("method", "requestUri")}}
        for key in ("input", "output"):
            if key in op:
                entry[key] = op[key]["shape"]
                roots.append(op[key]["shape"])
        entry["errors"] = [e["shape"] for e in op.get("errors", [])]
        roots.extend(entry["errors"])
        ops[name] = entry

    kept = {}
    stack = list(roots)
    while stack:
        name = stack.pop()
        if name in kept:
            continue
        if name not in shapes:
            raise ModelError(f"shape {name} referenced but not defined")
        kept[name] = strip_shape(shapes[name])
        stack.extend(referenced(shapes[name]))

    return {
        "metadata": {
            k: metadata[k]
            for k in ("apiVersion", "endpointPrefix", "protocol", "signingName", "uid")
            if k in metadata
        },
        "operations": ops,
        "shapes": kept,
    }


def render(extract_doc):
    return json.dumps(extract_doc, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def build(models_dir):
    """Map of output file name -> rendered extract."""
    outputs = {}
    for service, operations in SERVICES.items():
        path = service_model_path(models_dir, service)
        try:
            with open(path, encoding="utf-8") as f:
                model = json.load(f)
        except (OSError, ValueError) as e:
            raise ModelError(f"cannot read {path}: {e}") from e
        outputs[f"{service}.shapes.json"] = render(extract(model, operations))
    return outputs


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default=DEFAULT_MODELS, help="botocore models folder")
    parser.add_argument("--out", default=DEFAULT_OUT, help="folder of the extracts")
    parser.add_argument(
        "--check", action="store_true", help="verify the extracts instead of writing them"
    )
    args = parser.parse_args(argv)

    try:
        outputs = build(args.models)
    except ModelError as e:
        print(f"extract_shapes: {e}", file=sys.stderr)
        return 2

    stale = []
    for name, text in sorted(outputs.items()):
        path = os.path.join(args.out, name)
        try:
            with open(path, encoding="utf-8") as f:
                current = f.read()
        except OSError:
            current = None
        if current == text:
            continue
        stale.append(path)
        if not args.check:
            os.makedirs(args.out, exist_ok=True)
            with open(path, "w", encoding="utf-8", newline="\n") as f:
                f.write(text)

    if args.check:
        for path in stale:
            print(f"extract_shapes: stale or missing: {path}", file=sys.stderr)
        if stale:
            print("extract_shapes: re-run without --check to regenerate", file=sys.stderr)
            return 1
        print(f"extract_shapes: {len(outputs)} extracts up to date")
        return 0
    for path in stale:
        print(f"extract_shapes: wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
