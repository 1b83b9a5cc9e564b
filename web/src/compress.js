// Compresses a share link's JSON with the browser's own DEFLATE (CompressionStream, 'deflate-raw'), so
// that the playground's WebAssembly carries no compressor (about 8 KB of its brotli download). Resolves
// to the raw DEFLATE bytes, or to null where the browser cannot (the caller then writes DEFLATE's
// stored blocks, which every reader opens). Imported by session.rs through wasm-bindgen.
export function deflateRaw(bytes) {
  try {
    const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream('deflate-raw'));
    return new Response(stream).arrayBuffer().then((b) => new Uint8Array(b), () => null);
  } catch (e) {
    // No CompressionStream, or one without 'deflate-raw' (before Chrome 103, Firefox 113, Safari 16.4).
    return Promise.resolve(null);
  }
}
