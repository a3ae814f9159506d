/**
 * PNG and JPEG decoding to 8-bit RGBA by @jsquash/png (the Rust png crate) and @jsquash/jpeg (mozjpeg),
 * both WebAssembly shipped inside their npm packages: nothing is downloaded or compiled at install.
 * Chosen by a decode benchmark and install size (bench/results/image-decoders.json): 0.75 MB, several
 * times faster than pure-JS jpeg-js; the native @napi-rs/image is 2–4× faster but 18 MB per platform, and
 * decoding is far from the bottleneck (bench/results/data-throughput.json). Every PNG colour type and bit depth (gray, gray + alpha, palette,
 * RGB, RGBA; 16-bit reduced to 8) and baseline or progressive JPEG (gray, RGB) comes out as RGBA.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

/** A decoded image: `width × height` pixels, RGBA, 8 bits per channel, row-major. */
export interface DecodedImage {
  width: number;
  height: number;
  rgba: Uint8Array | Uint8ClampedArray;
}

/** The formats morphnet reads. */
export type ImageFormat = 'png' | 'jpeg';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The format a file's first bytes announce (PNG signature, JPEG SOI marker), or null. */
export function sniffFormat(head: Uint8Array): ImageFormat | null {
  if (head.length >= 8 && PNG_SIGNATURE.every((b, i) => head[i] === b)) return 'png';
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpeg';
  return null;
}

type Decode = (data: ArrayBuffer) => Promise<ImageData>;

interface Codecs {
  png: Decode;
  jpeg: Decode;
  /** The last message mozjpeg printed (its reason for refusing a file). */
  jpegMessage: () => string;
}

let codecs: Promise<Codecs> | undefined;

/** Loads both WebAssembly codecs once per thread, from the wasm files inside their npm packages. */
function loadCodecs(): Promise<Codecs> {
  codecs ??= (async () => {
    const require = createRequire(import.meta.url);
    const [pngModule, jpegModule, pngWasm, jpegWasm] = await Promise.all([
      import('@jsquash/png/decode.js'),
      import('@jsquash/jpeg/decode.js'),
      readFile(require.resolve('@jsquash/png/codec/pkg/squoosh_png_bg.wasm')),
      readFile(require.resolve('@jsquash/jpeg/codec/dec/mozjpeg_dec.wasm')),
    ]);
    await pngModule.init(pngWasm);
    const compiled = await WebAssembly.compile(jpegWasm);
    let message = '';
    // Emscripten module options: the compiled wasm, and libjpeg's messages kept instead of printed.
    const options = {
      instantiateWasm: (imports: WebAssembly.Imports, done: (instance: WebAssembly.Instance) => void) => {
        const instance = new WebAssembly.Instance(compiled, imports);
        done(instance);
        return instance.exports;
      },
      print: () => {},
      printErr: (line: string) => void (message = line),
    };
    await jpegModule.init(options as unknown as Parameters<typeof jpegModule.init>[0]);
    return {
      png: (data) => pngModule.decode(data),
      jpeg: (data) => {
        message = '';
        return jpegModule.default(data);
      },
      jpegMessage: () => message,
    };
  })();
  return codecs;
}

/** Why a decoder refused a file, as a short phrase. */
function reason(error: unknown, fallback: string): string {
  if (error instanceof Error && error.message && !/unwrap_throw/.test(error.message)) return error.message;
  return fallback;
}

/**
 * Decodes PNG or JPEG bytes to RGBA. Throws an `Error` whose message says why the bytes are not a
 * readable image (not PNG/JPEG, truncated, corrupt).
 */
export async function decodeImage(bytes: Uint8Array): Promise<DecodedImage> {
  const format = sniffFormat(bytes);
  if (!format) throw new Error('not a PNG or JPEG file');
  const { png, jpeg, jpegMessage } = await loadCodecs();
  const data = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  let image: ImageData;
  try {
    image = await (format === 'png' ? png : jpeg)(data);
  } catch (e) {
    const why =
      format === 'jpeg' ? jpegMessage() || reason(e, 'corrupt JPEG data') : reason(e, 'corrupt PNG data');
    throw new Error(`unreadable ${format === 'png' ? 'PNG' : 'JPEG'} (${why.replace(/\.$/, '')})`);
  }
  if (!(image.width > 0 && image.height > 0) || image.data.length !== image.width * image.height * 4) {
    throw new Error(`unreadable ${format === 'png' ? 'PNG' : 'JPEG'} (no pixels)`);
  }
  return { width: image.width, height: image.height, rgba: image.data };
}
