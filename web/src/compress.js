// The browser's own DEFLATE for share links (CompressionStream and DecompressionStream, 'deflate-raw'),
// so that the playground's WebAssembly carries neither a compressor nor a decompressor (about 13 KB of
// its brotli download). Imported by session.rs through wasm-bindgen; the link format itself (checks,
// JSON) stays in Rust (crates/share).

// Resolves to the raw DEFLATE of `bytes`, or to null where the browser cannot compress (the caller
// then writes DEFLATE's stored blocks, which every reader opens).
export function deflateRaw(bytes) {
  try {
    const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream('deflate-raw'));
    return new Response(stream).arrayBuffer().then((b) => new Uint8Array(b), () => null);
  } catch (e) {
    // No CompressionStream, or one without 'deflate-raw' (before Chrome 103, Firefox 113, Safari 16.4).
    return Promise.resolve(null);
  }
}

// Resolves to the inflated `bytes`, reading no more than `limit` bytes of output (a link is hostile
// input: a small one may inflate to gigabytes). Or to a number: 0 the browser cannot inflate, 1 the
// data is damaged or cut short, 2 it inflates to more than `limit`.
export async function inflateRaw(bytes, limit) {
  let reader;
  try {
    // The Blob copies `bytes` now, before the first await (it is a view of the wasm's memory).
    reader = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw')).getReader();
  } catch (e) {
    return 0;
  }
  const chunks = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > limit) {
        reader.cancel().catch(() => {});
        return 2;
      }
      chunks.push(value);
    }
  } catch (e) {
    return 1;
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
