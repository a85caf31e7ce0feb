/**
 * The first import of every page entry (src/main.tsx, report/main.tsx). zod 4 builds a fast parser
 * with `new Function` and, to see whether it may, probes once with `new Function('')` when its
 * first object schema is created. Our CSP (script-src 'self', no 'unsafe-eval') refuses that, and
 * Chromium reports a securitypolicyviolation on every page even though zod catches the error.
 * jitless: zod parses without generated code and skips the probe. It must run before any schema
 * exists, hence a module of its own, imported first.
 */
import { z } from 'zod';

z.config({ jitless: true });
