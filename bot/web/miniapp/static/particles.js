// Korean particles chosen for the word they follow, as bot/i18n/particles.py does for the
// chat: a catalog writes "{id:을}" and gets "#12를" or "#13을", never "을(를)".

const PAIRS = {
  은: ["은", "는"], 는: ["은", "는"],
  이: ["이", "가"], 가: ["이", "가"],
  을: ["을", "를"], 를: ["을", "를"],
  과: ["과", "와"], 와: ["과", "와"],
  이에요: ["이에요", "예요"],
  으로: ["으로", "로"], 로: ["으로", "로"],
};
// How each digit is read: [ends in a consonant, that consonant is ㄹ] (영 일 이 삼 사 오 육 칠 팔 구).
const DIGITS = {
  0: [true, false], 1: [true, true], 2: [false, false], 3: [true, false], 4: [false, false],
  5: [false, false], 6: [true, false], 7: [true, true], 8: [true, true], 9: [false, false],
};
const LETTERS = { l: [true, true], m: [true, false], n: [true, false], r: [true, true] };

function finalSound(word) {
  const stripped = String(word).replace(/[\s)\]}"'’”.!?]+$/u, "");
  if (!stripped) return [false, false];
  const last = stripped.at(-1);
  const code = last.codePointAt(0);
  if (code >= 0xac00 && code <= 0xd7a3) {
    const final = (code - 0xac00) % 28;
    return [final !== 0, final === 8];
  }
  if (last in DIGITS) return DIGITS[last];
  if (/[a-z]/i.test(last)) {
    const tail = /[a-z]+$/i.exec(stripped)[0].toLowerCase();
    if (tail.length === 1) return LETTERS[tail] || [false, false];
    if (/(m|n|ng)$/.test(tail)) return [true, false];
    if (tail.endsWith("l")) return [true, true];
  }
  return [false, false];
}

export function attach(word, particle) {
  const pair = PAIRS[particle];
  if (!pair) return `${word}${particle}`;
  const [consonant, rieul] = finalSound(word);
  if (pair[0] === "으로") return `${word}${consonant && !rieul ? "으로" : "로"}`;
  return `${word}${consonant ? pair[0] : pair[1]}`;
}
