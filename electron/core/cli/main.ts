import { runCli } from './run';

runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`powermap: ${(e as Error)?.message ?? String(e)}\n`);
    process.exitCode = 1;
  },
);
