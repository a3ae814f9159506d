/**
 * tf.js "layers-model" files on the file system, without tfjs-node: `model.json` (topology +
 * weightsManifest) and one weight shard `group1-shard1of1.bin`, in the format tfjs' own save handlers
 * write, so `tf.loadLayersModel` loads them anywhere.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { MorphnetError } from '../errors.js';
import { modelTopology } from '../graph/model-topology.js';
import { nativeArtifacts, tfjsTopology } from '../layers/tfjs/prepare.js';
import { readWeightShards } from './weight-files.js';

/** File name of the model description inside a saved model's folder. */
export const MODEL_JSON = 'model.json';
/** File name of the single weight shard inside a saved model's folder. */
export const WEIGHTS_BIN = 'group1-shard1of1.bin';

/** Raw `model.json` content, as tfjs writes it (`weightsSha256` is ours, other readers ignore it). */
export interface ModelJsonFile {
  modelTopology: object;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  weightsManifest?: tf.io.WeightsManifestConfig;
  trainingConfig?: tf.io.TrainingConfig;
  userDefinedMetadata?: Record<string, unknown>;
  signature?: object;
  modelInitializer?: object;
  initializerSignature?: object;
  weightsSha256?: string;
}

/** The bytes of a model's weights, whatever form tfjs hands them in. */
function weightBytes(data: tf.io.WeightData | undefined): Uint8Array {
  if (data == null) return new Uint8Array(0);
  return new Uint8Array(tf.io.concatenateArrayBuffers(data));
}

/** Builds the `model.json` object tfjs' file/HTTP save handlers write, for one weight shard. */
export function modelJsonFor(artifacts: tf.io.ModelArtifacts, weights: Uint8Array): ModelJsonFile {
  if (artifacts.modelTopology == null || artifacts.modelTopology instanceof ArrayBuffer) {
    throw new Error('the model has no JSON topology to save (only tf.LayersModel is supported)');
  }
  const json: ModelJsonFile = {
    modelTopology: artifacts.modelTopology,
    format: artifacts.format ?? 'layers-model',
    generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
    convertedBy: artifacts.convertedBy ?? null,
    weightsManifest: [{ paths: [`./${WEIGHTS_BIN}`], weights: artifacts.weightSpecs ?? [] }],
    weightsSha256: createHash('sha256').update(weights).digest('hex'),
  };
  if (artifacts.trainingConfig != null) json.trainingConfig = artifacts.trainingConfig;
  if (artifacts.userDefinedMetadata != null) json.userDefinedMetadata = artifacts.userDefinedMetadata;
  if (artifacts.signature != null) json.signature = artifacts.signature;
  if (artifacts.modelInitializer != null) json.modelInitializer = artifacts.modelInitializer;
  if (artifacts.initializerSignature != null) json.initializerSignature = artifacts.initializerSignature;
  return json;
}

async function writeDurable(file: string, data: string | Uint8Array): Promise<void> {
  const handle = await fs.open(file, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Saves a layers model as `dir/model.json` + `dir/group1-shard1of1.bin` (creating `dir`). Both files
 * are written under temporary names and renamed into place only when complete, so an interrupted save
 * leaves the previous files intact; `model.json` carries the SHA-256 of its weights, and `loadModel`
 * refuses a pair that does not match.
 */
export async function saveModel(model: tf.LayersModel, dir: string): Promise<void> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (artifacts == null) throw new Error('the model produced no artifacts to save');
  // tf.js' own topology lacks SeparableConv2D's depth multiplier; write the completed one.
  artifacts.modelTopology = modelTopology(model) as tf.io.ModelArtifacts['modelTopology'];
  artifacts = nativeArtifacts(artifacts, model); // classes tf.js lacks, as their native equivalents
  const weights = weightBytes(artifacts.weightData);
  const json = JSON.stringify(modelJsonFor(artifacts, weights));
  await fs.mkdir(dir, { recursive: true });
  const tag = `.tmp-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const tmpBin = path.join(dir, WEIGHTS_BIN + tag);
  const tmpJson = path.join(dir, MODEL_JSON + tag);
  try {
    await writeDurable(tmpBin, weights);
    await writeDurable(tmpJson, json);
    await fs.rename(tmpBin, path.join(dir, WEIGHTS_BIN));
    await fs.rename(tmpJson, path.join(dir, MODEL_JSON));
  } catch (err) {
    await fs.rm(tmpBin, { force: true });
    await fs.rm(tmpJson, { force: true });
    throw err;
  }
}

/** Reads and parses a `model.json`, with one readable sentence for a missing file or bad JSON. */
export async function readModelJson(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new MorphnetError(`${file}: no such file.`);
    if (code === 'EISDIR') throw new MorphnetError(`${file}: is a folder, expected a model.json file.`);
    throw new MorphnetError(`${file}: cannot be read (${code ?? String(err)}).`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new MorphnetError(`${file}: not valid JSON (${(err as Error).message}).`);
  }
}

/**
 * Loads a layers model from a `model.json` on disk (weights from the shards its manifest names, only
 * regular files inside its folder whose sizes match the manifest, see weight-files.ts; quantized weights
 * are dequantized by tf.js; a topology-only file gets fresh initial weights). No tfjs-node needed.
 */
export async function loadModel(pathToModelJson: string): Promise<tf.LayersModel> {
  const raw = await readModelJson(pathToModelJson);
  if (raw == null || typeof raw !== 'object' || !('modelTopology' in raw)) {
    throw new MorphnetError(`${pathToModelJson}: not a tf.js layers model (no "modelTopology").`);
  }
  const json = raw as ModelJsonFile;
  const { specs, data: weights } = await readWeightShards(pathToModelJson, json.weightsManifest);
  if (
    json.weightsSha256 != null &&
    createHash('sha256').update(weights).digest('hex') !== json.weightsSha256
  ) {
    throw new MorphnetError(`${pathToModelJson}: its weight file does not match it (from another save?).`);
  }
  const artifacts: tf.io.ModelArtifacts = {
    modelTopology: tfjsTopology(json.modelTopology),
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy ?? undefined,
    trainingConfig: json.trainingConfig,
    userDefinedMetadata: json.userDefinedMetadata as tf.io.ModelArtifacts['userDefinedMetadata'],
  };
  if (specs.length > 0) {
    artifacts.weightSpecs = specs;
    artifacts.weightData = weights.buffer;
  }
  return tf.loadLayersModel(tf.io.fromMemory(artifacts));
}
