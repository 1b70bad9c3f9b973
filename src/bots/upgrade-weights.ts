/**
 * Rewrites a weights file in this encoding's layout: nets of an earlier encoding get zero
 * weights from the inputs added since (so they judge every position as before) and the file
 * records the layout. Everything else in the file is kept.
 *
 *   npm run weights:upgrade [-- PATH]   (default: src/bots/weights/net.json)
 */
import { fileURLToPath } from 'node:url';
import { deserializeNet, readWeightsFile, serializeNet, writeWeightsFile, type SerializedNet } from './weights-file.js';

const path = process.argv[2] ?? fileURLToPath(new URL('./weights/net.json', import.meta.url));
const file = readWeightsFile(path);
const upgrade = (net: SerializedNet): SerializedNet => serializeNet(deserializeNet(net));
writeWeightsFile(path, { ...file, nets: { contact: upgrade(file.nets.contact), race: upgrade(file.nets.race) } });
console.log(`weights:upgrade: ${path}: ${file.nets.contact.inputs} -> ${deserializeNet(file.nets.contact).inputCount} inputs per net`);
