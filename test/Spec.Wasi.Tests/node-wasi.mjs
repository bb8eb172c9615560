// Runs a WASI command under node's own WASI (node:wasi), the reference the differential tests compare against and
// the peer the benchmark (Spec.Bench programs) times:
//   node node-wasi.mjs [--dir HOST::GUEST] [--env K=V] FILE.wasm [ARG...]
// stdin, stdout and stderr are this process's; the exit status is the guest's.
import { readFile } from 'node:fs/promises';
import { WASI } from 'node:wasi';
import { argv, exit } from 'node:process';
import { setFlagsFromString } from 'node:v8';

// Under node 20, a program that runs for a second or so with tens of megabytes of memory can end in a SIGSEGV inside
// V8 after its last output, reproducibly for a given program and size. With the garbage collector's marking on the
// main thread it never does; the cost is nil, as the JS heap stays tiny while the program runs.
setFlagsFromString('--no-concurrent-marking');

const preopens = {};
const env = {};
let k = 2;
for (; k < argv.length && argv[k].startsWith('--'); k += 2) {
  const value = argv[k + 1];
  if (argv[k] === '--dir') { const [host, guest] = value.split('::'); preopens[guest ?? host] = host; }
  else if (argv[k] === '--env') { const at = value.indexOf('='); env[value.slice(0, at)] = value.slice(at + 1); }
  else { console.error(`unknown option ${argv[k]}`); exit(2); }
}
const file = argv[k];
const wasi = new WASI({ version: 'preview1', args: [file, ...argv.slice(k + 1)], env, preopens, returnOnExit: true });
const module = await WebAssembly.compile(await readFile(file));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
exit(wasi.start(instance));
