"""Writes the Keras-built model fixtures of test/fixtures/keras/ (run by hand; the tests only read them).

Each model is built by Keras itself (keras 3.15.1 on tensorflow-cpu 2.21, from the PyPI mirror) and written
as a tf.js "layers-model" file the way the official converter (tensorflowjs 4.22, which reads tf.keras 2
files) lays it out: `modelTopology.model_config` with tf.keras-2 layer configs and `[[name, node, tensor,
kwargs]]` inbound nodes, weights in a float32/int32 shard. Keras 3 configs differ from tf.keras 2 in form
only, and are translated here: dtype policies become "float32", serialized objects lose `module` and
`registered_name`, `batch_shape` becomes `batch_input_shape`, and operations on tensors (`x + 3.0` in
MobileNetV3's hard sigmoid) become the `TFOpLambda` layers tf.keras 2 writes for them. SeparableConv2D
configs get the `kernel_initializer`/`kernel_regularizer`/`kernel_constraint` fields tf.keras 2 writes
for that class (tf.js 4.22 refuses them).

Next to each model, `<name>.keras.json` records what Keras itself says about it: `count_params()`, every
layer's output shape, and (for models with weights) the outputs on a fixed input.

    python3 -m venv /tmp/keras-venv
    /tmp/keras-venv/bin/pip install tensorflow-cpu==2.21.0 keras==3.15.1
    /tmp/keras-venv/bin/python scripts/keras-fixtures.py test/fixtures/keras
"""

import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import keras  # noqa: E402
import numpy as np  # noqa: E402

KERAS3_ONLY = {"lora_rank", "lora_alpha", "quantization_config", "build_config", "compile_config"}
SEPARABLE_TF_KERAS_FIELDS = {
    "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": None}},
    "kernel_regularizer": None,
    "kernel_constraint": None,
}
OPERATORS = {"Add": ("__operators__.add", "tf.__operators__.add"), "Multiply": ("math.multiply", "tf.math.multiply")}


def plain(value):
    """Keras 3 serialized objects ({module, class_name, config, registered_name}) as tf.keras 2 writes them."""
    if isinstance(value, dict):
        if value.get("class_name") == "DTypePolicy":
            return value["config"]["name"]
        out = {k: plain(v) for k, v in value.items() if k not in ("module", "registered_name")}
        return out
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def node_refs(node):
    """A Keras 3 inbound node ({args, kwargs}) as [[layer, node, tensor, kwargs], ...] and its constants."""
    refs, constants = [], []
    for arg in node["args"]:
        items = arg if isinstance(arg, list) else [arg]
        for item in items:
            if isinstance(item, dict) and item.get("class_name") == "__keras_tensor__":
                history = item["config"]["keras_history"]
                refs.append([history[0], history[1], history[2], {}])
            else:
                constants.append(item)
    return refs, constants


def tf_keras_layers(model):
    """The model's layers in tf.keras 2 form, operation nodes as TFOpLambda layers."""
    counts = {}
    renamed = {}
    layers = []
    for layer in model.get_config()["layers"]:
        name = layer["name"]
        module = layer.get("module", "")
        nodes = [node_refs(n) for n in layer.get("inbound_nodes", [])]
        if module.startswith("keras.src.ops"):
            function, base = OPERATORS[layer["class_name"]]
            k = counts.get(base, 0)
            counts[base] = k + 1
            new_name = base if k == 0 else f"{base}_{k}"
            renamed[name] = new_name
            inbound = [[[*refs[0][:3], {"y": consts[0], "name": None}]] for refs, consts in nodes]
            layers.append({
                "class_name": "TFOpLambda",
                "config": {"name": new_name, "trainable": True, "dtype": "float32", "function": function},
                "name": new_name,
                "inbound_nodes": inbound,
            })
            continue
        config = {k: plain(v) for k, v in layer["config"].items() if k not in KERAS3_ONLY}
        if layer["class_name"] == "InputLayer":
            config = {"batch_input_shape": config["batch_shape"], "dtype": "float32", "sparse": False,
                      "ragged": False, "name": name}
        if layer["class_name"] == "SeparableConv2D":
            config.update(SEPARABLE_TF_KERAS_FIELDS)
        layers.append({"class_name": layer["class_name"], "config": config, "name": name,
                       "inbound_nodes": [refs for refs, _ in nodes]})
    for layer in layers:  # references to renamed operation nodes
        for node in layer["inbound_nodes"]:
            for ref in node:
                ref[0] = renamed.get(ref[0], ref[0])
    return layers


def topology(model):
    config = model.get_config()

    def refs(raw):  # Keras 3 writes a single [name, node, tensor] for one input or output
        items = [raw] if raw and isinstance(raw[0], str) else raw
        return [[r[0], r[1], r[2]] for r in items]
    return {
        "keras_version": keras.__version__,
        "backend": "tensorflow",
        "model_config": {
            "class_name": "Functional",
            "config": {
                "name": config["name"],
                "layers": tf_keras_layers(model),
                "input_layers": refs(config["input_layers"]),
                "output_layers": refs(config["output_layers"]),
            },
        },
    }


def write_facts(model, out_dir, name, sample=None):
    """What Keras says of a model: `count_params()`, each layer's output shape, outputs on `sample`."""
    os.makedirs(out_dir, exist_ok=True)
    facts = {
        "keras": keras.__version__,
        "count_params": int(model.count_params()),
        "output_shapes": {l.name: list(l.output.shape[1:]) for l in model.layers if hasattr(l, "output")},
    }
    if sample is not None:
        facts["input"] = sample.reshape(-1).tolist()
        facts["input_shape"] = list(sample.shape)
        facts["output"] = np.asarray(model(sample, training=False)).reshape(-1).tolist()
    with open(os.path.join(out_dir, f"{name}.keras.json"), "w") as f:
        json.dump(facts, f, separators=(",", ":"))


def write(model, out_dir, name, with_weights, sample=None):
    os.makedirs(out_dir, exist_ok=True)
    manifest = []
    if with_weights:
        specs, chunks = [], []
        for layer in model.layers:
            for w in layer.weights:
                value = np.asarray(w.numpy())
                dtype = "int32" if value.dtype.kind in "iu" else "float32"
                specs.append({"name": f"{layer.name}/{w.name}", "shape": list(value.shape), "dtype": dtype})
                chunks.append(value.astype(dtype).tobytes())
        shard = f"{name}.bin"
        with open(os.path.join(out_dir, shard), "wb") as f:
            f.write(b"".join(chunks))
        manifest = [{"paths": [shard], "weights": specs}]
    model_json = {
        "format": "layers-model",
        "generatedBy": f"keras v{keras.__version__}",
        "convertedBy": "morphnet scripts/keras-fixtures.py (tensorflowjs 4.22 layout)",
        "modelTopology": topology(model),
        "weightsManifest": manifest,
    }
    with open(os.path.join(out_dir, f"{name}.json"), "w") as f:
        json.dump(model_json, f, separators=(",", ":"))
    write_facts(model, out_dir, name, sample)


def small_separable():
    """SeparableConv2D (depth multiplier 2) as tf.keras 2 writes it, in a small trained-shape model."""
    x = keras.Input((8, 8, 3), name="image")
    y = keras.layers.SeparableConv2D(6, 3, padding="same", depth_multiplier=2, name="sep")(x)
    y = keras.layers.BatchNormalization(name="sep_bn")(y)
    y = keras.layers.ReLU(name="sep_relu")(y)
    y = keras.layers.Conv2D(5, 1, name="mix")(y)
    y = keras.layers.BatchNormalization(name="mix_bn")(y)
    y = keras.layers.ReLU(name="mix_relu")(y)
    y = keras.layers.GlobalAveragePooling2D(name="gap")(y)
    return keras.Model(x, keras.layers.Dense(3, activation="softmax", name="head")(y), name="separable")


def small_normalized(rng):
    """EfficientNet's input path (Rescaling, then an adapted Normalization) in a small model."""
    x = keras.Input((8, 8, 3), name="image")
    norm = keras.layers.Normalization(axis=-1, name="normalization")
    norm.adapt(rng.uniform(0, 255, size=(64, 8, 8, 3)).astype("float32") / 255.0)
    y = keras.layers.Rescaling(1.0 / 255.0, name="rescaling")(x)
    y = norm(y)
    y = keras.layers.Conv2D(6, 3, padding="same", use_bias=False, name="stem")(y)
    y = keras.layers.BatchNormalization(name="stem_bn")(y)
    y = keras.layers.Activation("swish", name="stem_act")(y)
    y = keras.layers.GlobalAveragePooling2D(name="gap")(y)
    return keras.Model(x, keras.layers.Dense(3, activation="softmax", name="head")(y), name="normalized")


def randomize_bn(model, rng):
    for layer in model.layers:
        if isinstance(layer, keras.layers.BatchNormalization):
            c = layer.gamma.shape[0]
            layer.set_weights([rng.uniform(0.5, 1.5, c), rng.uniform(-0.5, 0.5, c),
                               rng.uniform(-0.5, 0.5, c), rng.uniform(0.5, 2.0, c)])


def main(out_dir):
    keras.utils.set_random_seed(7)
    rng = np.random.default_rng(7)
    write(keras.applications.EfficientNetB0(input_shape=(32, 32, 3), weights=None, classes=10),
          out_dir, "efficientnet-b0-32", with_weights=False)
    write(keras.applications.EfficientNetB0(input_shape=(224, 224, 3), weights=None),
          out_dir, "efficientnet-b0-224", with_weights=False)
    write(keras.applications.MobileNetV3Small(input_shape=(32, 32, 3), weights=None, classes=10),
          out_dir, "mobilenet-v3-small-32", with_weights=False)
    write_facts(keras.applications.MobileNetV3Small(input_shape=(224, 224, 3), weights=None),
                out_dir, "mobilenet-v3-small-224")
    for name, model, scale in [("separable", small_separable(), 1.0),
                               ("normalized", small_normalized(rng), 255.0)]:
        randomize_bn(model, rng)
        sample = (rng.uniform(0, 1, size=(2, 8, 8, 3)) * scale).astype("float32")
        write(model, out_dir, name, with_weights=True, sample=sample)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "test/fixtures/keras")
