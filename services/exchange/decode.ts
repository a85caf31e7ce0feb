/**
 * Turns the bytes of a CSV (or JSON) file into text, whatever wrote it — and never substitutes a
 * character silently. UTF-8 with or without a BOM, UTF-16 with a BOM (Excel's "Unicode text"),
 * and GB18030/GBK as Chinese Excel saves CSV.
 *
 * - A BOM wins: the file is read in the BOM's encoding, strictly. Lines whose bytes are not valid
 *   in it are listed as `invalid` (the import is refused, each line named).
 * - Without a BOM, a file that is valid UTF-8 is UTF-8.
 * - Otherwise the file is looked at line by line (a line break byte is never part of a character
 *   in UTF-8 or GB18030). When most lines with non-ASCII bytes are not UTF-8, the file is in a
 *   legacy code page: jschardet names it (GB18030, a superset of GBK and GB2312, for every
 *   Chinese or weak guess) and every line is decoded strictly in it; lines that were valid UTF-8
 *   as well are listed as `guessed`. When most are UTF-8, the file is UTF-8 with a few lines from
 *   elsewhere (pasted from a GBK file): those lines are read as GB18030 if they are valid in it,
 *   and listed as `guessed` with the text read, so the preview shows them. A line valid in no
 *   encoding tried is `invalid`.
 */
import jschardet from 'jschardet';
import { isUtf8 } from 'node:buffer';
import { TextDecoder } from 'node:util';

export interface GuessedLine {
  /** 1-based line number in the file. */
  line: number;
  /** The encoding the line was read in. */
  encoding: string;
  /** The line as read (to show; at most 200 characters). */
  text: string;
}
export interface InvalidLine {
  line: number;
  /** Byte offset of the first bad byte within the line, and the bytes there (hex). */
  offset: number;
  bytes: string;
}

export interface Decoded {
  text: string;
  /** What was detected, for the preview: 'UTF-8', 'UTF-8 (BOM)', 'GB18030', 'UTF-8 (2 lines GB18030)', … */
  encoding: string;
  /** The encoding the file as a whole is read in. */
  main: string;
  /** Lines that were read in a guessed encoding: shown in the preview, the import goes ahead. */
  guessed: GuessedLine[];
  /** Lines valid in no encoding tried: the import is refused. Their text holds U+FFFD where the bad bytes were. */
  invalid: InvalidLine[];
  /** How many more of each there were than are listed (at most MAX_LISTED_LINES each). */
  moreGuessed: number;
  moreInvalid: number;
}

/** Collects guessed and invalid lines, listing the first MAX_LISTED_LINES of each and counting the rest. */
class Findings {
  guessed: GuessedLine[] = [];
  invalid: InvalidLine[] = [];
  moreGuessed = 0;
  moreInvalid = 0;
  guess(g: () => GuessedLine): void {
    if (this.guessed.length < MAX_LISTED_LINES) this.guessed.push(g());
    else this.moreGuessed++;
  }
  bad(b: () => InvalidLine): void {
    if (this.invalid.length < MAX_LISTED_LINES) this.invalid.push(b());
    else this.moreInvalid++;
  }
  result(text: string, encoding: string, main: string): Decoded {
    return { text, encoding, main, guessed: this.guessed, invalid: this.invalid, moreGuessed: this.moreGuessed, moreInvalid: this.moreInvalid };
  }
}

/** What jschardet may answer: Chinese first, then the ANSI code pages Excel writes elsewhere. */
const CANDIDATES = ['GB2312', 'Big5', 'windows-1252', 'ISO-8859-2', 'SHIFT_JIS', 'EUC-JP', 'EUC-KR'];
/** jschardet's names → WHATWG encoding labels (TextDecoder). */
const LABELS: Record<string, string> = {
  BIG5: 'big5',
  'WINDOWS-1252': 'windows-1252',
  'ISO-8859-2': 'iso-8859-2',
  SHIFT_JIS: 'shift_jis',
  'EUC-JP': 'euc-jp',
  'EUC-KR': 'euc-kr',
};
/** How many guessed or invalid lines are kept (a whole file of them says enough with these). */
export const MAX_LISTED_LINES = 50;

const decoders = new Map<string, TextDecoder>();
/** A fatal decoder for `label`, reused (a new one after a failure, so no state carries over). */
const strict = (label: string): TextDecoder => {
  let d = decoders.get(label);
  if (!d) {
    d = new TextDecoder(label, { fatal: true, ignoreBOM: true });
    decoders.set(label, d);
  }
  return d;
};
const lenientDecoders = new Map<string, TextDecoder>();
/** A decoder that substitutes U+FFFD: only for text that is refused anyway, or already checked. */
const lenient = (label: string): TextDecoder => {
  let d = lenientDecoders.get(label);
  if (!d) {
    d = new TextDecoder(label, { fatal: false, ignoreBOM: true });
    lenientDecoders.set(label, d);
  }
  return d;
};

function tryDecode(label: string, bytes: Uint8Array): string | null {
  // UTF-8 is checked without an exception per bad line (a thrown error costs more than the decode).
  if (label === 'utf-8') return isUtf8(bytes) ? lenient('utf-8').decode(bytes) : null;
  try {
    return strict(label).decode(bytes);
  } catch {
    decoders.delete(label);
    return null;
  }
}

const shown = (s: string) => {
  const t = s.replace(/\r?\n$/, '');
  return t.length > 200 ? `${t.slice(0, 199)}…` : t;
};

/** Splits on LF bytes, keeping each line's LF (so joining the decoded lines gives the file back). */
function splitLines(buf: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i < buf.length; i++) {
    if (buf[i] === 0x0a) {
      out.push(buf.subarray(start, i + 1));
      start = i + 1;
    }
  }
  if (start < buf.length) out.push(buf.subarray(start));
  return out;
}

const isAscii = (b: Uint8Array) => {
  for (let i = 0; i < b.length; i++) if (b[i]! >= 0x80) return false;
  return true;
};

/** The first byte of a line that cannot be valid in `label` (fed byte by byte to a streaming decoder: linear). */
function firstBadByte(label: string, line: Uint8Array): number {
  const dec = new TextDecoder(label, { fatal: true, ignoreBOM: true });
  for (let i = 0; i < line.length; i++) {
    try {
      dec.decode(line.subarray(i, i + 1), { stream: true });
    } catch {
      return i;
    }
  }
  // Valid up to the end, but the last character is cut short: point at where it starts.
  let i = line.length - 1;
  while (i > 0 && line.length - i < 4 && line[i]! >= 0x80) i--;
  return Math.max(0, i);
}

function invalidLine(label: string, line: Uint8Array, n: number): InvalidLine {
  const offset = firstBadByte(label, line);
  const bytes = Array.from(line.subarray(offset, offset + 4), (b) => `0x${b.toString(16).toUpperCase().padStart(2, '0')}`).join(' ');
  return { line: n, offset, bytes };
}

/** Decodes the whole buffer strictly in `label`; on failure, lists the bad lines and decodes leniently. */
function wholeFile(buf: Uint8Array, label: string, encoding: string): Decoded {
  const found = new Findings();
  const text = tryDecode(label, buf);
  if (text !== null) return found.result(text, encoding, encoding);
  if (label.startsWith('utf-16')) {
    // Lines of UTF-16 are two bytes wide: find them in the lenient text.
    const loose = lenient(label).decode(buf);
    loose.split('\n').forEach((l, i) => {
      const at = l.indexOf('\uFFFD');
      if (at >= 0) found.bad(() => ({ line: i + 1, offset: at * 2, bytes: '' }));
    });
    if (!found.invalid.length) found.bad(() => ({ line: 1, offset: 0, bytes: '' }));
    return found.result(loose, encoding, encoding);
  }
  splitLines(buf).forEach((l, i) => {
    if (tryDecode(label, l) === null) found.bad(() => invalidLine(label, l, i + 1));
  });
  return found.result(lenient(label).decode(buf), encoding, encoding);
}

/** The legacy code page jschardet names for these bytes (GB18030 for Chinese or weak guesses). */
function guessLegacy(buf: Uint8Array): { label: string; name: string } {
  const guess = jschardet.detect(Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength), { detectEncodings: CANDIDATES });
  const enc = (guess.encoding ?? '').toUpperCase();
  // Chinese Excel writes GBK ("ANSI" on a Chinese Windows); GB18030 decodes all of GBK and GB2312.
  // A weak or unsupported guess (short files) most likely is the same, since the file is not UTF-8.
  if (!enc || guess.confidence < 0.5 || /^(GB|HZ|EUC-CN|X-GBK)/.test(enc) || !LABELS[enc]) return { label: 'gb18030', name: 'GB18030' };
  return { label: LABELS[enc]!, name: enc };
}

export function decodeCsv(input: Uint8Array): Decoded {
  const buf = input;
  if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return wholeFile(buf.subarray(3), 'utf-8', 'UTF-8 (BOM)');
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return wholeFile(buf.subarray(2), 'utf-16le', 'UTF-16LE');
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) return wholeFile(buf.subarray(2), 'utf-16be', 'UTF-16BE');
  const utf8 = tryDecode('utf-8', buf);
  if (utf8 !== null) return new Findings().result(utf8, 'UTF-8', 'UTF-8');

  const lines = splitLines(buf);
  const utf8Lines = lines.map((l) => (isAscii(l) ? null : tryDecode('utf-8', l)));
  let valid = 0;
  let notUtf8 = 0;
  lines.forEach((l, i) => {
    if (isAscii(l)) return;
    if (utf8Lines[i] !== null) valid++;
    else notUtf8++;
  });
  const found = new Findings();
  const parts: string[] = [];

  if (notUtf8 > valid) {
    // A legacy code page; lines that read as UTF-8 too are read in it, and listed.
    const { label, name } = guessLegacy(buf);
    lines.forEach((l, i) => {
      const t = tryDecode(label, l);
      if (t === null) {
        found.bad(() => invalidLine(label, l, i + 1));
        parts.push(lenient(label).decode(l));
        return;
      }
      if (!isAscii(l) && utf8Lines[i] !== null && utf8Lines[i] !== t) found.guess(() => ({ line: i + 1, encoding: name, text: shown(t) }));
      parts.push(t);
    });
    return found.result(parts.join(''), name, name);
  }

  // UTF-8, with some lines from elsewhere.
  let other = 0;
  lines.forEach((l, i) => {
    const u = isAscii(l) ? lenient('utf-8').decode(l) : utf8Lines[i];
    if (u !== null && u !== undefined) {
      parts.push(u);
      return;
    }
    const g = tryDecode('gb18030', l);
    if (g !== null) {
      other++;
      found.guess(() => ({ line: i + 1, encoding: 'GB18030', text: shown(g) }));
      parts.push(g);
    } else {
      found.bad(() => invalidLine('utf-8', l, i + 1));
      parts.push(lenient('utf-8').decode(l));
    }
  });
  const encoding = other ? `UTF-8 (${other} line${other === 1 ? '' : 's'} GB18030)` : 'UTF-8';
  return found.result(parts.join(''), encoding, 'UTF-8');
}

/** JSON is UTF-8 (RFC 8259): the text, or the lines whose bytes are not UTF-8. */
export function decodeUtf8(input: Uint8Array): { text: string; invalid: InvalidLine[]; moreInvalid: number } {
  const bom = input.length >= 3 && input[0] === 0xef && input[1] === 0xbb && input[2] === 0xbf;
  const d = wholeFile(bom ? input.subarray(3) : input, 'utf-8', 'UTF-8');
  return { text: d.text, invalid: d.invalid, moreInvalid: d.moreInvalid };
}
