// Writes the reference token ids that WordPieceTokenizerTest compares against, from the Hugging Face tokenizers
// library (the native Rust implementation behind its Node binding) and models/minilm/tokenizer.json:
//   src/test/resources/tokenizer/minilm-reference.jsonl.gz  prompts: seed prompts, public benchmark prompts, edge cases
//   src/test/resources/tokenizer/unicode-sweep.jsonl.gz     code points of planes 0-3 and 14, each between two letters
// One JSON object a line: {"text": ..., "ids": [...]}, ids truncated to MAX_LENGTH as the library truncates.
// Usage: node build-fixture.js [shared data folder, default ../../../../shared/data]
'use strict';
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const { Tokenizer } = require('tokenizers');

const MAX_LENGTH = 256;
const root = path.join(__dirname, '../../..');
const data = process.argv[2] || path.join(root, '../shared/data');
const out = path.join(root, 'src/test/resources/tokenizer');

const jsonl = (file) => fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));

/** Rows of a CSV file with quoted, multi-line fields. */
function csv(file) {
  const text = fs.readFileSync(file, 'utf8');
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else if (c !== '\r') field += c;
  }
  if (field || row.length) rows.push([...row, field]);
  return rows;
}

function prompts() {
  const texts = [];
  texts.push(...jsonl(path.join(root, 'models/data/seed-prompts.jsonl')).map((r) => r.prompt));
  texts.push(...jsonl(path.join(data, 'arena-hard/arena-hard-v0.1-question.jsonl')).map((r) => r.prompt));
  texts.push(...jsonl(path.join(data, 'arena-hard/arena-hard-v2.0-question.jsonl')).map((r) => r.prompt));
  texts.push(...jsonl(path.join(data, 'arena-bench-v1/question.jsonl')).map((r) => r.turns[0]));
  texts.push(...jsonl(path.join(data, 'fastchat-bench/vicuna_bench_question.jsonl')).map((r) => r.turns[0]));
  const humaneval = zlib.gunzipSync(fs.readFileSync(path.join(data, 'humaneval/HumanEval.jsonl.gz'))).toString('utf8');
  texts.push(...humaneval.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l).prompt));
  texts.push(...jsonl(path.join(data, 'gsm8k/test.jsonl')).slice(0, 150).map((r) => r.question));
  const mmlu = path.join(data, 'routellm-evals/mmlu/responses');
  for (const file of fs.readdirSync(mmlu).filter((f) => f.endsWith('.csv')).sort()) {
    texts.push(...csv(path.join(mmlu, file)).slice(1, 3).map((r) => r[0]));
  }
  texts.push(...edgeCases());
  return [...new Set(texts)];
}

function edgeCases() {
  const cases = [
    // empty, white space, control and invisible characters
    '', ' ', '   ', '\t', '\n', '\r\n', '\t\n\r \u000b\u000c', '\u00a0\u3000\u2003\u2009\u202f\u205f\u1680',
    'line1\nline2\r\nline3\ttab\t\tdouble', 'a\u0085b\u2028c\u2029d',
    '\u0000null byte', 'bell\u0007 and\u0008backspace', '\u001b[31mred\u001b[0m', 'replacement \ufffd char',
    'zero\u200bwidth space', 'zero\u200cnon\u200djoiner', '\ufeffbyte order mark', 'soft\u00adhyphen',
    'word\u2060joiner', 'left\u200eto\u200fright\u202amarks\u202c', 'tag\u{e0041}\u{e007f}chars',
    'lone \ud800 high and \udc00 low surrogate', 'private \ue000 use \u{f0000} area',
    // word length around max_input_chars_per_word (100)
    'x'.repeat(99), 'x'.repeat(100), 'x'.repeat(101), 'ab'.repeat(60), '1234567890'.repeat(11),
    'a'.repeat(100) + '\u0301', 'a'.repeat(99) + '\u200b' + 'aa', '\u00e9'.repeat(100), '\u00e9'.repeat(101),
    '\u4e2d'.repeat(150), 'supercalifragilisticexpialidocious'.repeat(3) + ' end',
    'https://example.com/' + 'a'.repeat(120) + '?q=1', 'x'.repeat(300) + ' tail words after a long blob',
    // long input: truncation
    'word '.repeat(400), 'the quick brown fox jumps over the lazy dog. '.repeat(60),
    // added tokens in the text
    '[CLS]', '[SEP] x [PAD]', '[MASK][MASK]', '[[UNK]]', '[cls] [Sep]', '[CLS', '[ CLS ]', '[MASK]hello',
    'tail[SEP]', 'a[UNK]b[PAD]c', '[[[', 'x [MASK] y [MASK] z',
    // contractions, quotes, punctuation
    "don't", "I'm sure it's fine, isn't it?", 'won\u2019t', '\u00abquoted\u00bb', '\u201eGerman\u201c',
    '\u201csmart quotes\u201d \u2018single\u2019', '...', '\u2014\u2013-', '\u00bfQu\u00e9?', '\u00a1Hola!',
    '\u2026', '\u3010brackets\u3011 \u3008angle\u3009', '\u00b7 \u00a7 \u00b6 \u2020 \u2021 \u203b \u2030 \u2032 \u2033 \u2042',
    'a--b__c..d!!e??f', '(nested (parens)) [brackets] {braces} <angle>',
    // code and URLs
    'def f(x):\n    return x ** 2  # square\n', 'const add = (a, b) => a + b; // arrow',
    'SELECT id, name FROM users WHERE age >= 18 AND name LIKE \'%son\';', '#include <stdio.h>\nint main(){return 0;}',
    'x != y && z <= w || !q', 'a->b::c<d>', 'foo_bar_baz camelCaseWord snake_case SCREAMING_CASE',
    '$HOME/.bashrc ~/.ssh/id_rsa', '@decorator\nclass A: pass', 'user@example.com', 'https://x.com/a?b=1&c=%20#frag',
    '{"key": [1, 2.5, -3e10, true, null]}', '<div class="a">&amp;&nbsp;</div>', 'regex: ^[a-z0-9_-]{3,16}$',
    'git commit -m "fix: handle \\n in paths"', '0xDEADBEEF 1e-10 3.14159 1,000,000 $1.5M 50% 2024-01-01T12:00:00Z',
    // accented Latin, case and compatibility forms
    'Caf\u00e9 cr\u00e8me br\u00fbl\u00e9e', 'na\u00efve co\u00f6perate r\u00e9sum\u00e9', '\u00c5ngstr\u00f6m \u0141\u00f3d\u017a Dvo\u0159\u00e1k',
    'S\u00f8ren Kierkegaard', 'Stra\u00dfe STRASSE \u1e9e', '\u01c5 \u01c4 \u01c6 titlecase digraphs', '\ufb01 \ufb02 ligatures',
    '\uff26\uff55\uff4c\uff4c\uff57\uff49\uff44\uff54\uff48 \uff11\uff12\uff13', '\u216b \u2460\u2461\u2462 x\u00b2+y\u00b3 \u00bd \u00bc',
    '\u00b5 micro \u212b angstrom \u212a kelvin \u2126 ohm', '\u0130stanbul \u0131s\u0131k', 'Vi\u1ec7t Nam ti\u1ebfng Vi\u1ec7t',
    'e\u0301 a\u0316\u0301 q\u0307\u0323 n\u0303', '\u0301 leading combining mark', 'Z\u0351\u036b\u0343a\u0310\u0302l\u0307g\u036do\u0352',
    // Greek, Cyrillic and other alphabets
    '\u0397 \u03b3\u03c1\u03ae\u03b3\u03bf\u03c1\u03b7 \u03ba\u03b1\u03c6\u03ad \u03b1\u03bb\u03b5\u03c0\u03bf\u03cd', '\u039f\u0394\u039f\u03a3 \u03c3\u03bf\u03c6\u03af\u03b1\u03c2',
    '\u041f\u0440\u0438\u0432\u0435\u0442, \u043c\u0438\u0440! \u0401\u043b\u043a\u0430 \u0439\u043e\u0434', '\u0532\u0561\u0580\u0565\u0582 \u10d2\u10d0\u10db\u10d0\u10e0\u10ef\u10dd\u10d1\u10d0',
    // CJK
    '\u6771\u4eac\u30bf\u30ef\u30fc', '\u4f60\u597d\uff0c\u4e16\u754c\uff01', '\u4e2d\u6587\uff08\u62ec\u53f7\uff09\u3002',
    '\ud55c\uad6d\uc5b4 \ud14d\uc2a4\ud2b8 \uc548\ub155\ud558\uc138\uc694', '\uff76\uff80\uff76\uff85 halfwidth', '\u{20bb7}\u91ce\u5bb6',
    '\uf900 \uf9dc \u{2f800} \u3400 \u{2a700}', '\u65e5\u672c\u8a9e\u306e\u6587\u7ae0\u3067\u3059\u3002\u3072\u3089\u304c\u306a\u3068\u30ab\u30bf\u30ab\u30ca',
    // right-to-left and Indic scripts, combining marks
    '\u0645\u0631\u062d\u0628\u0627 \u0628\u0627\u0644\u0639\u0627\u0644\u0645', '\u0627\u0644\u0633\u0651\u064e\u0644\u064e\u0627\u0645\u064f \u0639\u064e\u0644\u064e\u064a\u0652\u0643\u064f\u0645\u0652',
    '\u05e9\u05b8\u05c1\u05dc\u05d5\u05b9\u05dd', '\u0646\u0645\u0633\u062a\u06d2 \u062f\u0646\u06cc\u0627',
    '\u0928\u092e\u0938\u094d\u0924\u0947 \u0926\u0941\u0928\u093f\u092f\u093e', '\u0bb5\u0ba3\u0b95\u0bcd\u0b95\u0bae\u0bcd', '\u09b8\u09cd\u09ac\u09be\u0997\u09a4\u09ae',
    '\u0e2a\u0e27\u0e31\u0e2a\u0e14\u0e35\u0e04\u0e23\u0e31\u0e1a', '\u1785\u17c6\u178e\u17b6\u1799', '\u1019\u1004\u103a\u1039\u1002\u101c\u102c',
    // emoji and symbols
    '\u{1f600} grin', '\u{1f44d}\u{1f3fd}', '\u{1f468}\u200d\u{1f469}\u200d\u{1f467}\u200d\u{1f466}', '\u{1f1e9}\u{1f1ea} flag',
    '\u2764\ufe0f love', '\u{1fae0} melting \u{1f970} smiling', '1\ufe0f\u20e3 keycap', '\u00a9 \u00ae \u2122',
    '\u20ac \u00a3 \u00a5 \u20b9 \u20bf', '\u2192 \u2190 \u21d2', '\u2200x \u2208 \u211d: x\u00b2 \u2265 0', '\u2211\u222b\u2202\u221a\u221e',
    '\u2660\u2665\u2666\u2663 \u2591\u2592\u2593 \u2713\u2717 20\u00b0C',
    // mixed scripts in one word
    'Hello\u4e16\u754c\u0645\u0631\u062d\u0628\u0627', 'abc\u4e2ddef', '\u041c\u043e\u0441\u043a\u0432\u04302024', 'caf\u00e9\u0634\u0627\u064a',
    // characters where the library's Unicode tables differ from a JDK's
    'a\u08e2b', 'a\u{110cd}b', 'a\u{13430}\u{13438}b', 'a\u166db', 'a\u{111c9}b', 'a\u2e43\u2e44b', 'a\u2e52b',
    'A\ua7cb\ua7dcB', '\u{10570}\u{10571}', '\u{16ea0}', 'a\u0d81b\u1ac0c',
  ];
  return cases;
}

/**
 * Every code point of planes 0-3 and 14 between two letters ("a" + c + "b"), 60 to a line: whether the character
 * is removed, a space, punctuation, a mark, or lowercased shows in the ids. Surrogates and the private use area
 * are left out, and of the Chinese ranges (all handled alike) only the first and last 256 code points.
 */
function sweep() {
  const chinese = [[0x3400, 0x4dbf], [0x4e00, 0x9fff], [0xf900, 0xfaff], [0x20000, 0x2a6df], [0x2a700, 0x2b81f],
    [0x2b920, 0x2ceaf], [0x2f800, 0x2fa1f]];
  const skipped = (cp) => (cp >= 0xd800 && cp <= 0xf8ff)
    || cp === 0x11938 // decomposed by the JDK, not by the library: see WordPieceTokenizer
    || chinese.some(([first, last]) => cp >= first + 256 && cp <= last - 256);
  const cps = [];
  for (let cp = 0; cp <= 0x323af; cp++) if (!skipped(cp)) cps.push(cp);
  for (let cp = 0xe0000; cp <= 0xe0fff; cp++) cps.push(cp);
  const lines = [];
  for (let i = 0; i < cps.length; i += 60) {
    lines.push(cps.slice(i, i + 60).map((cp) => 'a' + String.fromCodePoint(cp) + 'b').join(' '));
  }
  return lines;
}

async function write(file, texts, tokenizer, full) {
  const lines = [];
  for (const text of texts) {
    const ids = (await tokenizer.encode(text)).getIds();
    const all = (await full.encode(text)).getIds();
    const head = all.length <= MAX_LENGTH ? all : [...all.slice(0, MAX_LENGTH - 1), all[all.length - 1]];
    if (JSON.stringify(head) !== JSON.stringify(ids)) throw new Error('truncation is not a head: ' + text);
    lines.push(JSON.stringify({ text, ids }));
  }
  const body = Buffer.from(lines.join('\n') + '\n', 'utf8');
  fs.writeFileSync(file, zlib.gzipSync(body, { level: 9 }));
  console.log(`${file}: ${lines.length} lines, ${body.length} bytes, ${fs.statSync(file).size} gzipped`);
}

async function main() {
  const file = path.join(root, 'models/minilm/tokenizer.json');
  const tokenizer = Tokenizer.fromFile(file);
  tokenizer.disablePadding();
  tokenizer.setTruncation(MAX_LENGTH);
  const full = Tokenizer.fromFile(file);
  full.disablePadding();
  full.disableTruncation();
  fs.mkdirSync(out, { recursive: true });
  await write(path.join(out, 'minilm-reference.jsonl.gz'), prompts(), tokenizer, full);
  await write(path.join(out, 'unicode-sweep.jsonl.gz'), sweep(), tokenizer, full);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
