import { runCli } from './run';
import { forTerminal } from './terminal';

// `powermap analyze map | head` closes the pipe early: that is not an error worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`powermap: ${forTerminal(String((e as Error)?.message ?? e))}\n`);
    process.exitCode = 1;
  },
);
