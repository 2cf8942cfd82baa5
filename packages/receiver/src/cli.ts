/**
 * The `inkling` executable (`bin/inkling.js` imports the build of this file). The only module of the package with
 * top-level side effects: it runs the command line.
 */
import { runCli } from './cli/main.js';

const controller = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => controller.abort());

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  env: process.env,
  signal: controller.signal,
});
