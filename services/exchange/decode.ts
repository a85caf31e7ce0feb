/**
 * Turns the bytes of a CSV file into text, whatever wrote it: UTF-8 with or without a BOM,
 * UTF-16 with a BOM (Excel's "Unicode text"), and GB18030/GBK as Chinese Excel saves CSV. Valid
 * UTF-8 is taken as UTF-8; anything else is identified by jschardet and decoded by iconv-lite,
 * with GB18030 (a superset of GBK and GB2312) for every Chinese guess.
 */
import iconv from 'iconv-lite';
import jschardet from 'jschardet';

export interface Decoded {
  text: string;
  /** What was detected, for the preview: 'UTF-8', 'UTF-8 (BOM)', 'GB18030', … */
  encoding: string;
}

/** What jschardet may answer: Chinese first, then the ANSI code pages Excel writes elsewhere. */
const CANDIDATES = ['GB2312', 'Big5', 'windows-1252', 'ISO-8859-2', 'SHIFT_JIS', 'EUC-JP', 'EUC-KR'];

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function decodeCsv(buf: Buffer): Decoded {
  if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf)
    return { text: buf.subarray(3).toString('utf8'), encoding: 'UTF-8 (BOM)' };
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return { text: iconv.decode(buf.subarray(2), 'utf-16le'), encoding: 'UTF-16LE' };
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) return { text: iconv.decode(buf.subarray(2), 'utf-16be'), encoding: 'UTF-16BE' };
  try {
    return { text: utf8.decode(buf), encoding: 'UTF-8' };
  } catch {
    /* not UTF-8: guess below */
  }
  const guess = jschardet.detect(buf, { detectEncodings: CANDIDATES });
  const enc = (guess.encoding ?? '').toUpperCase();
  // Chinese Excel writes GBK ("ANSI" on a Chinese Windows); GB18030 decodes all of GBK and GB2312.
  // A weak or unsupported guess (short files) most likely is the same, since the file is not UTF-8.
  if (!enc || guess.confidence < 0.5 || /^(GB|HZ|EUC-CN|X-GBK)/.test(enc) || !iconv.encodingExists(enc))
    return { text: iconv.decode(buf, 'gb18030'), encoding: 'GB18030' };
  return { text: iconv.decode(buf, enc), encoding: enc };
}
