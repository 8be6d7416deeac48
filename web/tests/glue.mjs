// Runs the module through the page's glue in Node: unlock, open, forget, open again.
// Usage: node glue.mjs MODULE.wasm WRAPPED PASSPHRASE ENVELOPE.json
import { readFileSync } from "node:fs";
import { instantiate } from "../js/masker19-intake.mjs";

const [wasm, wrapped, passphrase, envelope] = process.argv.slice(2);
const m = await instantiate(readFileSync(wasm));
const wrong = m.unlock(readFileSync(wrapped), "niet het wachtwoord");
const right = m.unlock(readFileSync(wrapped), passphrase);
const opened = m.open(readFileSync(envelope, "utf8"), "");
m.forget();
const after = m.open(readFileSync(envelope, "utf8"), "");
console.log(JSON.stringify({ wrong, right, opened, after }));
