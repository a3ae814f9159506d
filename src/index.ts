/** morphnet: MorphNet for TypeScript and TensorFlow.js. The library's public entry. */
export {};
