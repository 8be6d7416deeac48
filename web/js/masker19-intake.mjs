// The intake page's glue to the WebAssembly module masker19_web.wasm (plain C ABI, no generated
// bindings). The unlocked key lives only inside the module's memory; forget() wipes it.

const enc = new TextEncoder();
const dec = new TextDecoder();

/** Instantiate the module from its bytes; the page fetches them with Subresource Integrity. */
export async function instantiate(bytes) {
  let memory = null;
  const env = {
    m19_random(ptr, len) {
      crypto.getRandomValues(new Uint8Array(memory.buffer, ptr, len));
    },
  };
  const { instance } = await WebAssembly.instantiate(bytes, { env });
  const x = instance.exports;
  memory = x.memory;

  function put(data) {
    const bytes = typeof data === "string" ? enc.encode(data) : data;
    const ptr = x.m19_alloc(bytes.length);
    new Uint8Array(memory.buffer, ptr, bytes.length).set(bytes);
    return [ptr, bytes.length];
  }
  function answer(len) {
    const text = dec.decode(new Uint8Array(memory.buffer, x.m19_output_ptr(), len).slice());
    return text ? JSON.parse(text) : null;
  }
  function call(fn, ...inputs) {
    const placed = inputs.map(put);
    try {
      return answer(fn(...placed.flat()));
    } finally {
      placed.forEach(([ptr, len]) => x.m19_free(ptr, len));
    }
  }
  return {
    /** Unlock the wrapped key (bytes) with the passphrase: {ok} or {ok: false, error}. */
    unlock: (wrapped, passphrase) => call(x.m19_unlock, wrapped, passphrase),
    /** Open a sealed report's envelope (JSON text): sections, warnings, mismatches. */
    open: (envelopeJson, gemeente) => call(x.m19_open, envelopeJson, gemeente || ""),
    /** Wipe the unlocked key. */
    forget: () => {
      x.m19_forget();
    },
  };
}
