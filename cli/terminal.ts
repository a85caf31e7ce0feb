/**
 * Text from a map or an import file is the user's colleague's, not ours: a name can carry escape
 * sequences that retitle the terminal, write the clipboard (OSC 52), move the cursor or clear the
 * screen. Every line the CLI writes goes through `forTerminal` (cli/run.ts wraps the output
 * functions once), which shows each control character as a visible \uXXXX escape instead:
 * C0 controls but line feed and tab, DEL, and the C1 controls (U+0080–U+009F, where some
 * terminals read U+009B as CSI). Inside a JSON string \uXXXX is the same character, so --json
 * output stays valid JSON meaning the same thing.
 */

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

export function forTerminal(s: string): string {
  return s.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
