/**
 * `npm run web -- [map.powermap] [--port N]`: the browser build. Starts the loopback server with
 * the same main-side services as the desktop app, opens the given map, prints the URL.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ApiError } from '../../shared/api/errors';
import { errorMessage, langFromLocale } from '../../shared/i18n/errors';
import { appRoot, nodePaths, systemLocale } from '../../services/paths';
import { Session } from '../../services/session';
import { dialogLessHost } from './host';
import { Settings } from '../../services/settings';
import { openMapFile } from '../../services/map/files';
import { startWebServer } from './server';
import { APP_VERSION } from '../../services/version';
import { forTerminal } from '../../cli/terminal';

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { port: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    console.log('usage: npm run web -- [path/to/map.powermap] [--port N]');
    return;
  }
  const paths = nodePaths();
  const session = new Session(dialogLessHost(systemLocale()), new Settings(paths.configDir), paths, APP_VERSION);
  if (positionals[0]) {
    const file = path.resolve(positionals[0]);
    await session.setStore(await openMapFile(file));
    session.initialMap = file;
  }
  const web = await startWebServer({
    session,
    staticDir: path.join(appRoot(), 'dist', 'renderer'),
    port: values.port ? Number(values.port) : 0,
  });
  console.log('PowerMap browser build: open this address in Chromium (Ctrl+C stops):');
  console.log(web.url);
  const stop = () => {
    void session.close().finally(() => undefined);
    void web.close().then(() => process.exit(0));
    setTimeout(() => process.exit(0), 1000).unref();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e) => {
  const lang = langFromLocale(systemLocale());
  const line = e instanceof ApiError ? errorMessage(e, lang) : String((e as Error)?.message ?? e);
  process.stderr.write(`powermap web: ${forTerminal(line)}\n`);
  process.exit(1);
});
