// Writes src/main/resources/io/switchboard/classify/tokenizer/bert-characters.txt: which code points the reference
// BertNormalizer removes, turns into a space, treats as a non-spacing mark or a Chinese character, how it lowercases
// them, and which the BertPreTokenizer splits on. The library takes Unicode categories from a crate frozen at an old
// Unicode version and case mappings from its Rust release, so no JVM's own tables match it; asking the library about
// every code point does.
// Usage: node unicode-tables.js [output file]
'use strict';
const fs = require('fs');
const path = require('path');
const t = require('tokenizers');

const version = require('tokenizers/package.json').version;
const output = process.argv[2] ||
  path.join(__dirname, '../../../src/main/resources/io/switchboard/classify/tokenizer/bert-characters.txt');

const clean = t.bertNormalizer({ cleanText: true, handleChineseChars: false, stripAccents: false, lowercase: false });
const strip = t.bertNormalizer({ cleanText: false, handleChineseChars: false, stripAccents: true, lowercase: false });
const lower = t.bertNormalizer({ cleanText: false, handleChineseChars: false, stripAccents: false, lowercase: true });
const chinese = t.bertNormalizer({ cleanText: false, handleChineseChars: true, stripAccents: false, lowercase: false });
const pre = t.bertPreTokenizer();

const sets = { removed: [], 'clean-space': [], space: [], punctuation: [], 'non-spacing-mark': [], chinese: [] };
const lowercase = [];
for (let cp = 0; cp <= 0x10ffff; cp++) {
  if (cp >= 0xd800 && cp <= 0xdfff) continue;
  const c = String.fromCodePoint(cp);
  const cleaned = clean.normalizeString('a' + c + 'b');
  if (cleaned === 'ab') sets.removed.push(cp);
  else if (cleaned === 'a b') sets['clean-space'].push(cp);
  else if (cleaned !== 'a' + c + 'b') throw new Error('clean_text changes ' + cp.toString(16) + ' unexpectedly');
  // a character whose canonical decomposition is all non-spacing marks vanishes; it is such a mark itself
  if (strip.normalizeString(c) === '') sets['non-spacing-mark'].push(cp);
  if (chinese.normalizeString(c) === ' ' + c + ' ') sets.chinese.push(cp);
  const words = pre.preTokenizeString('a' + c + 'b').map((w) => w[0]);
  if (words.length === 2) sets.space.push(cp);
  else if (words.length === 3) sets.punctuation.push(cp);
  const lowered = lower.normalizeString(c);
  if (lowered !== c) lowercase.push([cp, [...lowered].map((x) => x.codePointAt(0))]);
}

const hex = (n) => n.toString(16);
const lines = [
  `# Character classes of the BertNormalizer and BertPreTokenizer of Hugging Face tokenizers ${version}, asked of`,
  '# the library one code point at a time by models/minilm/reference/unicode-tables.js. Generated: do not edit.',
  '# <class> <first> <last>                     inclusive range, hex',
  '# lowercase <first> <last> <step> <delta>    every step-th code point from first to last maps to itself + delta',
  '# lowercase-expand <code point> <lowercase...>',
];

for (const [name, cps] of Object.entries(sets)) {
  let first = -1;
  let last = -1;
  for (const cp of cps) {
    // surrogates are never asked about; a range may run across them
    if (first >= 0 && (cp === last + 1 || (last === 0xd7ff && cp === 0xe000))) {
      last = cp;
      continue;
    }
    if (first >= 0) lines.push(`${name} ${hex(first)} ${hex(last)}`);
    first = last = cp;
  }
  if (first >= 0) lines.push(`${name} ${hex(first)} ${hex(last)}`);
}

// Runs of one-to-one mappings with a common delta, over consecutive or alternating code points.
const runs = [];
for (const [cp, to] of lowercase) {
  if (to.length !== 1) {
    lines.push(`lowercase-expand ${hex(cp)} ${to.map(hex).join(' ')}`);
    continue;
  }
  const delta = to[0] - cp;
  const run = runs[runs.length - 1];
  if (run && run.delta === delta && run.first === run.last && cp - run.last <= 2) {
    run.step = cp - run.last;
    run.last = cp;
  } else if (run && run.delta === delta && cp === run.last + run.step) {
    run.last = cp;
  } else {
    runs.push({ first: cp, last: cp, step: 1, delta });
  }
}
for (const r of runs) lines.push(`lowercase ${hex(r.first)} ${hex(r.last)} ${r.step} ${r.delta}`);

fs.writeFileSync(output, lines.join('\n') + '\n');
console.log(`${output}: ${lines.length} lines, ${lowercase.length} lowercase mappings in ${runs.length} runs`);
