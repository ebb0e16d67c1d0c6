/**
 * A corpus of hostile or odd user inputs, sent through every command and option by
 * nasty.test.ts. Each has a label so a failure names the input that caused it.
 */
export interface NastyInput {
  label: string;
  text: string;
}

const lone = (code: number) => String.fromCharCode(code);

export const NASTY_STRINGS: NastyInput[] = [
  { label: 'empty', text: '' },
  { label: 'space', text: ' ' },
  { label: 'whitespace-only', text: ' \t\n\r\u00a0\u2003 ' },
  { label: 'newlines', text: '\n\n\n' },
  { label: '5000 chars', text: 'diffusion '.repeat(500) },
  { label: '100000 chars', text: 'x'.repeat(100_000) },
  { label: '100000 words', text: 'attention is all '.repeat(6000) },
  { label: 'zero-width', text: 'diff\u200busion\u200c\u200d\ufeff' },
  { label: 'only zero-width', text: '\u200b\u200b\u200b' },
  { label: 'RTL override', text: '\u202eesuffid\u202c transformer' },
  { label: 'Arabic', text: 'نموذج لغوي كبير' },
  { label: 'Hebrew mixed', text: 'שלום diffusion עולם' },
  { label: 'emoji', text: '🤖🧠📄 robots 🚀' },
  { label: 'emoji ZWJ family', text: '👨‍👩‍👧‍👦'.repeat(50) },
  { label: 'flags', text: '🇩🇪🇺🇸🇯🇵' },
  { label: 'combining', text: 'Z\u0351\u0352\u0353a\u0354\u0355\u0356l\u0357\u0358\u0359g\u035a\u035b\u035co'.repeat(20) },
  { label: 'combining heavy', text: 'a' + '\u0300'.repeat(3000) },
  { label: 'markdown bold', text: '**bold** __under__ ~~strike~~ ||spoiler||' },
  { label: 'markdown code', text: '`code` ```js\nalert(1)\n```' },
  { label: 'markdown quote', text: '> quoted\n>>> block' },
  { label: 'markdown link', text: '[x](http://evil.example/phish) [click](javascript:alert(1))' },
  { label: 'markdown heading', text: '# h1\n## h2\n-# small' },
  { label: 'markdown list', text: '- a\n* b\n1. c' },
  { label: 'masked link only', text: '[](http://evil)' },
  { label: '@everyone', text: '@everyone diffusion' },
  { label: '@here', text: '@here look' },
  { label: 'user mention', text: '<@123456789012345678> hi <@!123>' },
  { label: 'role mention', text: '<@&123456789012345678>' },
  { label: 'channel mention', text: '<#123456789012345678>' },
  { label: 'slash mention', text: '</find:123456789012345678>' },
  { label: 'timestamp', text: '<t:0:R> <t:99999999999999:F>' },
  { label: 'custom emoji', text: '<:pepe:123456789012345678> <a:dance:1>' },
  { label: 'zero-width @everyone', text: '@\u200beveryone @every\u200bone' },
  { label: 'SQL', text: "'; DROP TABLE papers;--" },
  { label: 'SQL union', text: '" OR 1=1 UNION SELECT * FROM guild_settings --' },
  { label: 'path unix', text: '../../etc/passwd' },
  { label: 'path windows', text: 'C:\\Windows\\System32\\config\\SAM' },
  { label: 'file url', text: 'file:///etc/shadow' },
  { label: 'html', text: '<script>alert(1)</script><img src=x onerror=alert(1)>' },
  { label: 'json', text: '{"__proto__":{"polluted":true},"constructor":{"prototype":{}}}' },
  { label: 'proto key', text: '__proto__' },
  { label: 'constructor', text: 'constructor' },
  { label: 'regex', text: '(a+)+$ .* [[:alpha:]] \\' },
  { label: 'format string', text: '%s%s%s%n %d ${process.env.DISCORD_TOKEN} {{7*7}}' },
  { label: 'unknown id', text: 'paper-does-not-exist-999999' },
  { label: 'arxiv-like id', text: '9999.99999' },
  { label: 'date feb 30', text: '2026-02-30' },
  { label: 'time 24:00', text: '24:00' },
  { label: 'bad timezone', text: 'Mars/Olympus_Mons' },
  { label: 'NUL', text: 'diff\u0000usion\u0000' },
  { label: 'control chars', text: '\u0001\u0002\u0007\u001b[31mred\u001b[0m' },
  { label: 'lone high surrogate', text: 'abc' + lone(0xd800) + 'def' },
  { label: 'lone low surrogate', text: lone(0xdc00) + 'xyz' },
  { label: 'reversed surrogates', text: lone(0xdc00) + lone(0xd800) },
  { label: 'BOM + CRLF', text: '\ufeffline1\r\nline2\r\n' },
  { label: 'numbers', text: '-1 0 11 1e309 NaN Infinity' },
  { label: 'very long word', text: 'a'.repeat(4000) },
  { label: 'url', text: 'https://arxiv.org/abs/2401.00001?x=<script>' },
];

/** Values for /daily set time. */
export const NASTY_TIMES = ['24:00', '23:60', '7:5', '25:00', '-1:00', '00:00:00', '12', 'noon', '', '０９:００', '09：00', '\u200b09:00', '9:00 PM'];
/** Values for /daily set timezone. */
export const NASTY_TIMEZONES = ['Mars/Olympus_Mons', 'UTC+25', '', '../../etc/localtime', 'Europe/Berlin\u0000', 'EST5EDT,M3', 'europe/berlin', 'Etc/GMT+99', '🌍'];
/** Integers for k and count (Discord would clamp; a forged payload might not). */
export const NASTY_INTEGERS = [0, 11, -1, 1000, 2 ** 31, -(2 ** 31)];
/** Forged button / select custom ids. */
export const NASTY_CUSTOM_IDS = [
  'find:page:9999:99:1:AAAAAAAAAAAAAAAA',
  'find:page:-1:5:0:abc',
  'find:page:0:0:0:',
  'find:page:0:10:2:' + 'x'.repeat(80),
  'find:',
  'similar:more',
  'similar:other',
  'daily:set',
  'nope',
  '',
  '::::',
  '__proto__:x',
  'find:page:0:5:0:../../etc',
];
