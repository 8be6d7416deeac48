// Times unlock (scrypt) and opening in the module, through the page's glue, in Node.
// Usage: node time_unlock.mjs MODULE.wasm WRAPPED PASSPHRASE ENVELOPE.json RUNS
import { readFileSync } from "node:fs";
import { instantiate } from "../js/masker19-intake.mjs";

const [wasm, wrapped, passphrase, envelope, runs] = process.argv.slice(2);
const m = await instantiate(readFileSync(wasm));
const key = readFileSync(wrapped);
const text = readFileSync(envelope, "utf8");
const unlock = [];
const open = [];
for (let i = 0; i < Number(runs); i++) {
  let t = performance.now();
  if (!m.unlock(key, passphrase).ok) throw new Error("did not unlock");
  unlock.push(performance.now() - t);
  t = performance.now();
  if (!m.open(text, "").ok) throw new Error("did not open");
  open.push(performance.now() - t);
  m.forget();
}
console.log(JSON.stringify({ unlock_ms: unlock, open_ms: open }));
