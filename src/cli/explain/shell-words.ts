import { UsageError } from '../usage-error.js';

/**
 * Splits a POSIX shell command line into words: '…' literal, "…" with \\ \" \$ \` escapes,
 * $'…' with C escapes (Chrome's "Copy as cURL"), backslash-newline joins lines.
 */
export function splitShellWords(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i] as string;
    if (c === '\\' && text[i + 1] === '\n') {
      i += 1;
    } else if (c === '\\' && text[i + 1] === '\r' && text[i + 2] === '\n') {
      i += 2;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end === -1) throw new UsageError('--request: unterminated single quote in the curl command.');
      word += text.slice(i + 1, end);
      i = end;
      inWord = true;
    } else if (c === '$' && text[i + 1] === "'") {
      const [value, end] = ansiC(text, i + 2);
      word += value;
      i = end;
      inWord = true;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < text.length && text[j] !== '"'; j += 1) {
        if (text[j] === '\\' && '\\"$`\n'.includes(text[j + 1] as string)) j += 1;
        if (!(text[j - 1] === '\\' && text[j] === '\n')) word += text[j];
      }
      if (j >= text.length) throw new UsageError('--request: unterminated double quote in the curl command.');
      i = j;
      inWord = true;
    } else if (c === '\\') {
      word += text[i + 1] ?? '';
      i += 1;
      inWord = true;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

const C_ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '\\': '\\', "'": "'", '"': '"', '0': '\0', a: '\x07', b: '\b', e: '\x1b', f: '\f', v: '\v' };

function ansiC(text: string, start: number): [string, number] {
  let value = '';
  for (let i = start; i < text.length; i += 1) {
    const c = text[i] as string;
    if (c === "'") return [value, i];
    if (c !== '\\') {
      value += c;
      continue;
    }
    const next = text[i + 1] as string;
    const hex = /^x([0-9a-fA-F]{1,2})/.exec(text.slice(i + 1, i + 4));
    const unicode = /^u([0-9a-fA-F]{4})/.exec(text.slice(i + 1, i + 6));
    if (hex) {
      value += String.fromCharCode(parseInt(hex[1] as string, 16));
      i += hex[0].length;
    } else if (unicode) {
      value += String.fromCharCode(parseInt(unicode[1] as string, 16));
      i += unicode[0].length;
    } else {
      value += C_ESCAPES[next] ?? `\\${next}`;
      i += 1;
    }
  }
  throw new UsageError("--request: unterminated $'…' quote in the curl command.");
}
