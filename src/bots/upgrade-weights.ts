/**
 * Rewrites a weights file in this encoding's layout: nets of an earlier encoding get zero
 * weights from the inputs added since (so they judge every position as before) and the file
 * records the layout. With `--hidden N`, both nets grow to N hidden units the same way (the new
 * units' output weights are zero), so training goes on with a larger net from where it stood.
 * Everything else in the file is kept.
 *
 *   npm run weights:upgrade [-- PATH] [--hidden N]   (default: src/bots/weights/net.json)
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Prng } from './prng.js';
import { deserializeNet, readWeightsFile, serializeNet, writeWeightsFile, type SerializedNet } from './weights-file.js';

const { values, positionals } = parseArgs({ options: { hidden: { type: 'string' } }, allowPositionals: true });
const hidden = values.hidden === undefined ? null : Number(values.hidden);
if (hidden !== null && !(Number.isInteger(hidden) && hidden >= 1 && hidden <= 1024)) {
  console.error(`weights:upgrade: --hidden takes a whole number from 1 to 1024, not ${values.hidden}`);
  process.exit(2);
}
const path = positionals[0] ?? fileURLToPath(new URL('./weights/net.json', import.meta.url));
const file = readWeightsFile(path);
const prng = Prng.fromState(file.prngState);
const upgrade = (serialized: SerializedNet): SerializedNet => {
  const net = deserializeNet(serialized);
  return serializeNet(hidden === null ? net : net.withHiddenUnits(hidden, () => prng.next()));
};
const nets = { contact: upgrade(file.nets.contact), race: upgrade(file.nets.race) };
const settings = hidden === null ? file.settings : { ...file.settings, hidden };
writeWeightsFile(path, { ...file, settings, prngState: prng.state(), nets });
console.log(`weights:upgrade: ${path}: ${file.nets.contact.inputs} -> ${nets.contact.inputs} inputs, ${file.nets.contact.hidden} -> ${nets.contact.hidden} hidden units per net`);
